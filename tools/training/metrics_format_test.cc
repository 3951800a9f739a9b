// columnsFormat: the checkpoint row and the CSV line made from one column list.
#include "tools/training/metrics_format.h"

#include <gtest/gtest.h>

namespace wae::training {
namespace {

struct Metrics {
  int epoch = 0;
  double loss = 0;
  bool best = false;
};

MetricsFormat<Metrics> format(int checkpointColumns) {
  return columnsFormat<Metrics>(checkpointColumns, [](auto& m, auto&& column) {
    column("epoch", m.epoch);
    column("loss", m.loss);
    column("best", m.best);
  });
}

TEST(MetricsFormat, RowsPadWithZerosAndGiveTheMetricsBack) {
  const MetricsFormat<Metrics> f = format(5);
  EXPECT_EQ(f.columns, 5);
  const Metrics m{7, 0.1 + 0.2, true};
  const std::vector<double> row = f.toRow(m);
  EXPECT_EQ(row, (std::vector<double>{7.0, 0.1 + 0.2, 1.0, 0.0, 0.0}));
  const Metrics back = f.fromRow(row);
  EXPECT_EQ(back.epoch, 7);
  EXPECT_EQ(back.loss, 0.1 + 0.2);  // bit for bit
  EXPECT_TRUE(back.best);
  EXPECT_FALSE(f.fromRow({1.0, 2.0, 0.0}).best);
}

TEST(MetricsFormat, CsvHasNamesAndNineSignificantDigits) {
  const MetricsFormat<Metrics> f = format(3);
  EXPECT_EQ(f.csvHeader(), "epoch,loss,best");
  EXPECT_EQ(f.csvRow({12, 1.0 / 3.0, true}), "12,0.333333333,1");
  EXPECT_EQ(f.csvRow({1, 2.5, false}), "1,2.5,0");
  EXPECT_EQ(f.csvRow({3, 123456789012.0, false}), "3,1.23456789e+11,0");
}

}  // namespace
}  // namespace wae::training
