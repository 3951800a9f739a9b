#include "tools/mcnn/inverter_training.h"

#include <algorithm>

#include "common/errors.h"
#include "tools/audio/metrics.h"
#include "tools/dataset/split.h"

namespace wae::mcnn {
namespace {

constexpr int kValidBatch = 8;

}  // namespace

InverterSplits loadInverterSplits(const std::string& path, int validExamples) {
  using dataset::MelDataset;
  using dataset::Split;
  InverterSplits s{MelDataset(path, {Split::kTrain, true, AudioSettings{}}),
                   MelDataset(path, {Split::kValid, true, AudioSettings{}}), AudioSettings{}};
  s.settings = s.train.settings();
  s.nTrain = s.train.mels().size(0);
  const std::vector<int64_t> rows = dataset::spreadRows(s.valid.mels().size(0), validExamples);
  s.nValid = int64_t(rows.size());
  s.validRows = torch::tensor(rows, torch::kInt64);
  if (s.nTrain < 1) throw FormatError(path, "train split", "0 examples", "at least 1");
  if (s.nValid < 1) throw FormatError(path, "valid split", "0 examples", "at least 1");
  for (const auto* split : {&s.train, &s.valid}) {
    const char* name = split == &s.train ? "train" : "valid";
    if (!torch::isfinite(split->mels()).all().item<bool>() ||
        (split->mels() < 0).any().item<bool>())
      throw FormatError(path, std::string("/mel (") + name + " split)",
                        "negative or non-finite values", "finite amplitudes >= 0");
    if (!torch::isfinite(split->audio()).all().item<bool>())
      throw FormatError(path, std::string("/audio (") + name + " split)", "non-finite samples",
                        "finite samples");
  }
  return s;
}

InverterScores validateInverter(
    torch::jit::Module& module, const torch::Tensor& mels, const torch::Tensor& audio,
    const SpectralLossOptions& loss, const AudioSettings& settings,
    const std::function<void(const torch::Tensor& mel, int64_t begin, int64_t n)>& each,
    const std::function<torch::Tensor(const torch::Tensor& mel, int64_t begin, int64_t n)>&
        render) {
  torch::NoGradGuard noGrad;
  module.eval();
  const int64_t examples = mels.size(0);
  InverterScores s;
  for (int64_t begin = 0; begin < examples; begin += kValidBatch) {
    const int64_t n = std::min<int64_t>(kValidBatch, examples - begin);
    const torch::Tensor mel = mels.narrow(0, begin, n);
    const torch::Tensor wave = render ? render(mel, begin, n) : module.forward({mel}).toTensor();
    const torch::Tensor ref = audio.narrow(0, begin, n);
    s.loss += spectralLoss(wave, ref, loss).total.item<double>() * n;
    s.sc += spectralConvergence(ref, wave, settings) * n;
    s.lsdDb += logSpectralDistanceDb(ref, wave, settings) * n;
    if (each) each(mel, begin, n);
  }
  module.train();
  s.loss /= double(examples);
  s.sc /= double(examples);
  s.lsdDb /= double(examples);
  return s;
}

}  // namespace wae::mcnn
