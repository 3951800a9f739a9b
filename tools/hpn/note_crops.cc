#include "tools/hpn/note_crops.h"

#include <vector>

#include "tools/audio/spectrogram.h"

namespace wae::hpn {

NoteCrops cropNotes(const torch::Tensor& notes, const torch::Tensor& starts, int cropFrames,
                    int context, const AudioSettings& settings) {
  NoteCrops c;
  c.noteMels = MelSpectrogram(settings)(notes);
  const torch::Tensor padded = torch::constant_pad_nd(c.noteMels, {context, context}, 0.0);
  const auto start = starts.to(torch::kCPU).contiguous();
  std::vector<torch::Tensor> mels, audio;
  const int64_t hop = settings.hopLength;
  for (int64_t b = 0; b < notes.size(0); ++b) {
    const int64_t s = start[b].item<int64_t>();
    mels.push_back(padded[b].narrow(1, s, cropFrames + 2 * context));
    audio.push_back(notes[b].narrow(0, s * hop, int64_t(cropFrames) * hop));
  }
  c.mels = torch::stack(mels);
  c.audio = torch::stack(audio);
  return c;
}

}  // namespace wae::hpn
