#include "tools/bank/bake_options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "bank/schema.h"
#include "common/paths.h"

namespace wae::bankbake {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, sep)) parts.push_back(part);
  if (!text.empty() && text.back() == sep) parts.push_back("");
  return parts;
}

bool parseLong(const std::string& s, long& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtol(s.c_str(), &end, 10);
  return errno == 0 && *end == '\0';
}

bool parseNumber(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return *end == '\0' && std::isfinite(out);
}

}  // namespace

std::array<int, bank::kDims> parseGrid(const std::string& text) {
  const auto parts = split(text, ',');
  if (parts.size() != 1 && parts.size() != bank::kDims)
    throw std::invalid_argument("--grid \"" + text +
                                "\": expected one number or four, comma separated");
  std::array<int, bank::kDims> grid{};
  for (int i = 0; i < bank::kDims; ++i) {
    const std::string& p = parts[parts.size() == 1 ? 0 : i];
    long v = 0;
    if (!parseLong(p, v) || v < bank::kMinAxisPoints || v > bank::kMaxAxisPoints)
      throw std::invalid_argument("--grid \"" + text + "\": \"" + p + "\" is not an integer in " +
                                  std::to_string(bank::kMinAxisPoints) + ".." +
                                  std::to_string(bank::kMaxAxisPoints));
    grid[i] = static_cast<int>(v);
  }
  return grid;
}

AxisRanges parseRanges(const std::string& text) {
  const auto parts = split(text, ',');
  if (parts.size() != 1 && parts.size() != bank::kDims)
    throw std::invalid_argument("--range \"" + text +
                                "\": expected min:max, or four of them comma separated");
  AxisRanges ranges{};
  for (int i = 0; i < bank::kDims; ++i) {
    const std::string& p = parts[parts.size() == 1 ? 0 : i];
    const auto ends = split(p, ':');
    double lo = 0, hi = 0;
    if (ends.size() != 2 || !parseNumber(ends[0], lo) || !parseNumber(ends[1], hi) || !(lo < hi))
      throw std::invalid_argument("--range \"" + text + "\": \"" + p +
                                  "\" is not min:max with min < max");
    ranges[i] = {lo, hi};
  }
  return ranges;
}

Shard parseShard(const std::string& text) {
  const auto parts = split(text, '/');
  long i = -1, n = -1;
  if (parts.size() != 2 || !parseLong(parts[0], i) || !parseLong(parts[1], n) || n < 1 ||
      n > 1000000 || i < 0 || i >= n)
    throw std::invalid_argument("--shard \"" + text + "\": expected i/n with 0 <= i < n");
  return Shard{int(i), int(n), "--shard"};
}

Shard resolveShard(const std::string& shardFlag, int countFlag,
                   const std::function<const char*(const char*)>& getenv) {
  if (!shardFlag.empty()) return parseShard(shardFlag);
  auto env = [&](const char* name) -> std::string {
    const char* v = getenv(name);
    return v ? v : "";
  };
  auto number = [&](const char* name) {
    long v = 0;
    if (!parseLong(env(name), v))
      throw std::invalid_argument(std::string(name) + "=\"" + env(name) + "\": not an integer");
    return v;
  };
  if (!env("SLURM_ARRAY_TASK_ID").empty()) {
    if (env("SLURM_ARRAY_TASK_COUNT").empty())
      throw std::invalid_argument(
          "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: run as a job array "
          "(sbatch --array=0-N) or pass --shard i/n");
    const long id = number("SLURM_ARRAY_TASK_ID");
    const long min = env("SLURM_ARRAY_TASK_MIN").empty() ? 0 : number("SLURM_ARRAY_TASK_MIN");
    const long count = number("SLURM_ARRAY_TASK_COUNT");
    Shard s = parseShard(std::to_string(id - min) + "/" + std::to_string(count));
    s.source = "SLURM_ARRAY_TASK_ID";
    return s;
  }
  if (!env("JOB_COMPLETION_INDEX").empty()) {
    long count = countFlag;
    if (count <= 0) {
      if (env("WAE_SHARD_COUNT").empty())
        throw std::invalid_argument(
            "JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but the shard count is "
            "not: pass --shard-count N or set WAE_SHARD_COUNT to the Job's completions");
      count = number("WAE_SHARD_COUNT");
    }
    Shard s =
        parseShard(std::to_string(number("JOB_COMPLETION_INDEX")) + "/" + std::to_string(count));
    s.source = "JOB_COMPLETION_INDEX";
    return s;
  }
  if (countFlag > 1)
    throw std::invalid_argument("--shard-count " + std::to_string(countFlag) +
                                " needs a shard index: --shard i/n, SLURM_ARRAY_TASK_ID or "
                                "JOB_COMPLETION_INDEX");
  return Shard{};
}

std::string shardPath(const std::string& outPath, const Shard& shard) {
  std::filesystem::path p(outPath);
  const std::string tag =
      ".shard" + std::to_string(shard.index) + "of" + std::to_string(shard.count);
  return (p.parent_path() / (p.stem().string() + tag + p.extension().string())).string();
}

}  // namespace wae::bankbake
