#include "pd/sampler_host.h"

#include <gtest/gtest.h>

#include "runtime/engine.h"

namespace wae::pd {
namespace {

// Pd can run DSP at another rate than the one an object was created at; the host then
// makes a new engine, which must keep what the object was told (voices, live mode,
// interpolation), not fall back to the defaults.
TEST(SamplerHost, ANewSampleRateKeepsTheEngineSettings) {
  SamplerHost host(48000, 64, ::testing::TempDir());
  host.engine().setVoiceLimit(5);
  host.engine().setLiveMode(runtime::LiveMode::kOutsideGrid);
  host.engine().setInterpolation(runtime::Interpolation::kNearest);
  const runtime::Engine* before = &host.engine();
  host.setSampleRate(44100);
  EXPECT_NE(&host.engine(), before);  // a new engine at the new rate
  EXPECT_EQ(host.engine().sampleRate(), 44100);
  EXPECT_EQ(host.engine().maxVoices(), 64);
  EXPECT_EQ(host.engine().voiceLimit(), 5);
  EXPECT_EQ(host.engine().liveMode(), runtime::LiveMode::kOutsideGrid);
  EXPECT_EQ(host.engine().interpolation(), runtime::Interpolation::kNearest);
}

}  // namespace
}  // namespace wae::pd
