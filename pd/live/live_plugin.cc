// wae-sampler-live.so: generative.pt as a live-mode WaveformSource (see live_plugin.h).
#include "pd/live/live_plugin.h"

#include <cstdio>
#include <exception>
#include <type_traits>

#include "tools/generative/generative_model.h"

namespace wae::pd {
namespace {

class ModelSource : public runtime::WaveformSource {
 public:
  // Made on the host's loading thread; render() runs on the live worker's.
  explicit ModelSource(GenerativeModel model)
      : model_(std::move(model)), ranges_(model_.axisRanges()) {}

  int sampleRate() const override { return model_.sampleRate(); }

  // Worker thread: -1..1 spans the model's axis ranges, as it does the bank's when the bank
  // was baked from this model; points outside are extrapolated, which is what live mode is for.
  std::vector<float> render(const runtime::Point& point) override {
    // On the worker's own thread: one torch thread (it renders one point at a time), and no
    // profiling runs of the model's methods (a setting of the calling thread only), so that
    // its first notes come sooner.
    setUpModelThread(1);
    float z[4];
    for (int d = 0; d < 4; ++d) {
      const auto [lo, hi] = ranges_[d];
      z[d] = float(lo + (point[d] + 1.0) / 2.0 * (hi - lo));
    }
    return model_.forward(z);
  }

 private:
  GenerativeModel model_;
  std::array<std::pair<double, double>, 4> ranges_;
};

}  // namespace
}  // namespace wae::pd

extern "C" __attribute__((visibility("default"))) wae::runtime::WaveformSource* wae_live_create(
    const char* path, char* error, size_t errorSize) {
  try {
    return new wae::pd::ModelSource(wae::GenerativeModel::load(path));
  } catch (const std::exception& e) {
    std::snprintf(error, errorSize, "%s", e.what());
    return nullptr;
  }
}

static_assert(std::is_same_v<decltype(&wae_live_create), wae::pd::LiveCreateFn>,
              "wae_live_create must match live_plugin.h");
