#include "tools/training/run.h"

#include <filesystem>

namespace wae::training {
namespace {

namespace fs = std::filesystem;

std::string besideWithSuffix(const std::string& outPath, const std::string& suffix) {
  const fs::path p(outPath);
  return (p.parent_path() / (p.stem().string() + suffix)).string();
}

void createParent(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent);
}

}  // namespace

std::string defaultCheckpointDir(const std::string& outPath) {
  return besideWithSuffix(outPath, ".checkpoints");
}

std::string defaultMetricsPath(const std::string& outPath) {
  return besideWithSuffix(outPath, ".metrics.csv");
}

RunFiles runFiles(const std::string& outPath, const std::string& checkpointDir,
                  const std::string& metricsPath) {
  RunFiles f;
  f.model = outPath;
  f.checkpointDir = checkpointDir.empty() ? defaultCheckpointDir(outPath) : checkpointDir;
  f.checkpoint = (fs::path(f.checkpointDir) / kCheckpointFile).string();
  f.metrics = metricsPath.empty() ? defaultMetricsPath(outPath) : metricsPath;
  return f;
}

void createDirectories(const RunFiles& files) {
  createParent(files.model);
  fs::create_directories(files.checkpointDir);
  createParent(files.metrics);
}

}  // namespace wae::training
