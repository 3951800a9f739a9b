#include "tools/vae/test_data.h"

#include <cmath>
#include <vector>

#include "tools/dataset/dataset_writer.h"

namespace wae::vae {

void writeTinyDataset(const std::string& path, const TinyDatasetOptions& o) {
  using namespace wae::dataset;
  const char* families[] = {"bass", "brass", "flute"};
  const AudioSettings& s = o.settings;
  DatasetWriter writer(path, s);
  std::vector<NoteAnnotation> notes;
  std::vector<Split> splits;
  const int total = o.train + o.valid + o.test + o.testPitch + o.testInstrument;
  std::vector<float> mel(size_t(s.nMels) * s.nFrames);
  std::vector<float> audio(s.nSamples, 0.0f);
  for (int i = 0; i < total; ++i) {
    const int family = i % 3;
    const int pitch = 40 + (i * 5) % 36;
    const double decayFrames = 20.0 + 30.0 * family;
    const int fundamentalBand = 4 + (pitch - 40) / 2;
    for (int b = 0; b < s.nMels; ++b)
      for (int t = 0; t < s.nFrames; ++t) {
        double v = 0;
        for (int h = 1; h <= 4; ++h) {
          const int band = fundamentalBand + 9 * (h - 1) + family;
          if (band == b) v += std::exp(-t / decayFrames) / h;
        }
        mel[size_t(b) * s.nFrames + t] = static_cast<float>(v);
      }
    writer.append(mel.data(), audio.data());
    NoteAnnotation a;
    a.noteStr = std::string(families[family]) + "_acoustic_00" + std::to_string(family) + "-" +
                std::to_string(pitch) + "-100-" + std::to_string(i);
    a.pitch = pitch;
    a.velocity = 100;
    a.instrument = family;
    a.instrumentStr = std::string(families[family]) + "_acoustic_00" + std::to_string(family);
    a.family = family;
    a.familyStr = families[family];
    a.sourceStr = "acoustic";
    a.sampleRate = s.sampleRate;
    notes.push_back(a);
    const int validEnd = o.train + o.valid, testEnd = validEnd + o.test,
              pitchEnd = testEnd + o.testPitch;
    splits.push_back(i < o.train    ? Split::kTrain
                     : i < validEnd ? Split::kValid
                     : i < testEnd  ? Split::kTest
                     : i < pitchEnd ? Split::kTestPitch
                                    : Split::kTestInstrument);
  }
  DatasetMetadata metadata;
  metadata.source = "tools/vae test data";
  metadata.createdBy = "writeTinyDataset";
  writer.finish(notes, splits, metadata);
}

}  // namespace wae::vae
