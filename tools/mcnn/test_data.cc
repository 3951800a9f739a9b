#include "tools/mcnn/test_data.h"

#include <torch/torch.h>

#include <cmath>
#include <vector>

#include "tools/audio/spectrogram.h"
#include "tools/dataset/dataset_writer.h"

namespace wae::mcnn {

void writeAudioDataset(const std::string& path, const AudioDatasetOptions& o) {
  using namespace wae::dataset;
  const char* families[] = {"bass", "brass", "flute"};
  const AudioSettings& s = o.settings;
  const MelSpectrogram mel(s);
  DatasetWriter writer(path, s);
  std::vector<NoteAnnotation> notes;
  std::vector<Split> splits;
  const int total = o.train + o.valid + o.test + o.testPitch + o.testInstrument;
  for (int i = 0; i < total; ++i) {
    const int family = i % 3;
    const int pitch = 45 + i % 12;
    const double f0 = 110.0 * std::pow(2.0, (i % 12) / 12.0);
    const double amplitude = 0.3 + 0.3 * double(i % 5) / 4.0;
    std::vector<float> audio(s.nSamples);
    for (int t = 0; t < s.nSamples; ++t) {
      const double time = double(t) / s.sampleRate;
      double v = 0;
      for (int h = 1; h <= 3; ++h) v += std::sin(2 * M_PI * f0 * h * time) / h;
      audio[t] = static_cast<float>(amplitude / 1.9 * v * std::exp(-time * (1.0 + family)));
    }
    const torch::Tensor wave = torch::from_blob(audio.data(), {s.nSamples}, torch::kFloat32);
    const torch::Tensor m = mel(wave).contiguous();
    writer.append(m.data_ptr<float>(), audio.data());
    NoteAnnotation a;
    a.instrumentStr = std::string(families[family]) + "_synthetic_00" + std::to_string(family);
    a.noteStr = a.instrumentStr + "-0" + std::to_string(pitch) + "-100-" + std::to_string(i);
    a.pitch = pitch;
    a.velocity = 100;
    a.instrument = family;
    a.family = family;
    a.familyStr = families[family];
    a.sourceStr = "synthetic";
    a.source = 2;
    a.sampleRate = s.sampleRate;
    notes.push_back(a);
    const int validEnd = o.train + o.valid, testEnd = validEnd + o.test,
              pitchEnd = testEnd + o.testPitch;
    splits.push_back(i < o.train ? Split::kTrain
                     : i < validEnd ? Split::kValid
                     : i < testEnd  ? Split::kTest
                     : i < pitchEnd ? Split::kTestPitch
                                 : Split::kTestInstrument);
  }
  DatasetMetadata metadata;
  metadata.source = "tools/mcnn test data";
  metadata.createdBy = "writeAudioDataset";
  writer.finish(notes, splits, metadata);
}

}  // namespace wae::mcnn
