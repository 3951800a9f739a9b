#include "tools/generative/coherence.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "common/testing/temp_dir.h"
#include "tools/generative/analytic_model.h"
#include "tools/generative/generative_model.h"

namespace wae::generative {
namespace {

// The analytic model (phase-coherent sines whose pitch follows axes 1 and 2): each pair's
// SNR is that of the model's own waves at the base and the moved point, and it falls as the
// step grows along a pitch axis (the partials drift apart in phase over the note).
TEST(Coherence, SnrOfEachPairFromTheModelsWavesAndFallingWithTheStep) {
  const testing::TempDir dir;
  const std::string path = dir.file("analytic.pt");
  writeAnalyticModel(path);
  CoherenceOptions o;
  o.modelPath = path;
  o.points = 5;
  o.steps = {0.01, 0.03, 0.1};
  o.batch = 2;
  o.threads = 1;
  o.csvPath = dir.file("coherence.csv");
  std::ostringstream log;
  const CoherenceResult r = measureCoherence(o, log);
  ASSERT_EQ(r.rows.size(), 12u);
  ASSERT_EQ(r.points.size(), 20u);

  const GenerativeModel g = GenerativeModel::load(path);
  const auto ranges = g.axisRanges();
  for (const CoherenceRow& row : r.rows) {
    ASSERT_EQ(row.pairs, 5) << "axis " << row.axis << " step " << row.step;
    for (int p = 0; p < 5; ++p) {
      std::vector<float> z(r.points.begin() + 4 * p, r.points.begin() + 4 * p + 4);
      const std::vector<float> w = g.forward(z.data());
      z[row.axis - 1] +=
          float(row.step * (ranges[row.axis - 1].second - ranges[row.axis - 1].first));
      const std::vector<float> v = g.forward(z.data());
      double signal = 0, error = 0;
      for (size_t i = 0; i < w.size(); ++i) {
        signal += double(w[i]) * w[i];
        error += (double(w[i]) - v[i]) * (double(w[i]) - v[i]);
      }
      EXPECT_NEAR(row.snrDb[p], 10 * std::log10(signal / error), 1e-9);
    }
  }
  // Axis 1 (pitch): rows 0, 1, 2 are its steps 0.01, 0.03, 0.1.
  EXPECT_GT(r.rows[0].snrDbMedian, r.rows[1].snrDbMedian);
  EXPECT_GT(r.rows[1].snrDbMedian, r.rows[2].snrDbMedian);
  EXPECT_LT(r.rows[0].lsdDbMean, r.rows[2].lsdDbMean);
  // Read at the rate of the two f0s, the analytic sines (phase 0 at sample 0, the same
  // amplitudes along the pitch axes) are the moved point's up to the 6-point reading's error,
  // however far apart in pitch; along axes 3 and 4 the f0 is the same (rate 1, an exact
  // reading) and the SNR the plain one.
  for (const CoherenceRow& row : r.rows) {
    ASSERT_EQ(row.alignedPairs, 5);
    if (row.axis <= 2) {
      EXPECT_GT(row.snrAlignedDbMedian, 40.0) << "axis " << row.axis << " step " << row.step;
      EXPECT_GT(row.snrAlignedDbMedian, row.snrDbMedian + 20.0);
    } else {
      EXPECT_NEAR(row.snrAlignedDbMedian, row.snrDbMedian, 1e-9);
    }
  }

  std::ifstream csv(o.csvPath);
  std::string header, first;
  std::getline(csv, header);
  std::getline(csv, first);
  EXPECT_EQ(header,
            "model,axis,step,pairs,snr_db_median,snr_db_mean,lsd_db_mean,aligned_pairs,"
            "snr_aligned_db_median");
  EXPECT_EQ(first.substr(0, path.size() + 10), path + ",1,0.01,5,");
  EXPECT_NE(formatCoherence(r, path).find("SNR median (dB)"), std::string::npos);

  // Without f0 there is no aligned SNR.
  AnalyticOptions noF0;
  noF0.withF0 = false;
  writeAnalyticModel(path, noF0);
  o.steps = {0.01};
  o.csvPath.clear();
  for (const CoherenceRow& row : measureCoherence(o, log).rows) EXPECT_EQ(row.alignedPairs, 0);
}

TEST(Coherence, RefusesBadSteps) {
  const testing::TempDir dir;
  CoherenceOptions o;
  o.modelPath = dir.file("never_read.pt");
  o.steps = {0.01, 0.5};
  std::ostringstream log;
  try {
    measureCoherence(o, log);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "--steps: each step is a fraction of the axis's range in (0, 0.2], got 0.500000");
  }
  o.steps = {};
  EXPECT_THROW(measureCoherence(o, log), std::invalid_argument);
}

}  // namespace
}  // namespace wae::generative
