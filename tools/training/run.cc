#include "tools/training/run.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

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

std::string exactString(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

std::string fixedString(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string joinInts(const std::vector<int>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s;
}

void validate(const CropTrainOptions& o) {
  auto fail = [](const std::string& what) { throw std::invalid_argument(what); };
  if (o.epochs < 1) fail("--epochs must be at least 1, got " + std::to_string(o.epochs));
  if (o.batchSize < 1) fail("--batch must be at least 1, got " + std::to_string(o.batchSize));
  if (!(o.learningRate > 0) || !std::isfinite(o.learningRate))
    fail("--lr must be positive, got " + exactString(o.learningRate));
  if (!(o.lrDecay > 0) || o.lrDecay > 1)
    fail("--lr-decay must be in (0, 1], got " + exactString(o.lrDecay));
  if (!(o.clipGradNorm >= 0) || !std::isfinite(o.clipGradNorm))
    fail("--clip-grad must be >= 0, got " + exactString(o.clipGradNorm));
  if (o.maxSkippedSteps < 0)
    fail("--max-skipped-steps must be >= 0, got " + std::to_string(o.maxSkippedSteps));
  if (o.threads < 1) fail("--threads must be at least 1, got " + std::to_string(o.threads));
  if (o.validExamples < 0)
    fail("--valid-examples must be >= 0, got " + std::to_string(o.validExamples));
  if (!(o.maxMinutes >= 0)) fail("--max-minutes must be >= 0");
  if (o.outPath.empty()) fail("--out is empty");
  if (o.datasetPath.empty()) fail("--dataset is empty");
}

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
