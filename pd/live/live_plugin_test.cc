#include "pd/live/live_plugin.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/script.h>

#include <memory>
#include <thread>

#include "common/testing/temp_dir.h"
#include "tools/generative/analytic_model.h"

// The plugin's entry point (live_plugin.cc), which the host finds with dlsym.
extern "C" wae::runtime::WaveformSource* wae_live_create(const char* path, char* error,
                                                         size_t errorSize);

namespace wae::pd {
namespace {

// The host makes the source on its loading thread and the live worker renders on its own:
// render() sets that thread up (one torch thread, no profiling runs), whatever the thread
// that made the source.
TEST(LivePlugin, RenderSetsUpItsCallingThread) {
  const testing::TempDir tmp;
  const std::string path = tmp.file("live.pt");
  generative::writeAnalyticModel(path, generative::AnalyticOptions{});
  char error[256] = "";
  std::unique_ptr<runtime::WaveformSource> source(
      wae_live_create(path.c_str(), error, sizeof error));
  ASSERT_TRUE(source) << error;
  bool optimizeBefore = false, optimizeAfter = true;
  int threads = 0;
  size_t samples = 0;
  std::thread([&] {
    optimizeBefore = torch::jit::getGraphExecutorOptimize();
    samples = source->render({0.1, -0.2, 0.3, 0.0}).size();
    optimizeAfter = torch::jit::getGraphExecutorOptimize();
    threads = at::get_num_threads();
  }).join();
  EXPECT_TRUE(optimizeBefore);
  EXPECT_FALSE(optimizeAfter);
  EXPECT_EQ(threads, 1);
  EXPECT_EQ(samples, size_t(generative::AnalyticOptions{}.length));
}

}  // namespace
}  // namespace wae::pd
