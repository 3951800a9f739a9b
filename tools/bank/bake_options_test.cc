#include "tools/bank/bake_options.h"

#include <gtest/gtest.h>

#include <map>

namespace wae::bankbake {
namespace {

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

// A fake environment for resolveShard.
struct Env {
  std::map<std::string, std::string> vars;
  std::function<const char*(const char*)> get() const {
    return [this](const char* n) -> const char* {
      const auto it = vars.find(n);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

TEST(BakeOptions, Grid) {
  EXPECT_EQ(parseGrid("9"), (std::array<int, 4>{9, 9, 9, 9}));
  EXPECT_EQ(parseGrid("9,8,7,2"), (std::array<int, 4>{9, 8, 7, 2}));
  EXPECT_EQ(errorOf([] { parseGrid("9,8"); }),
            "--grid \"9,8\": expected one number or four, comma separated");
  EXPECT_EQ(errorOf([] { parseGrid("9,1,7,7"); }),
            "--grid \"9,1,7,7\": \"1\" is not an integer in 2..1024");
  EXPECT_EQ(errorOf([] { parseGrid("x"); }), "--grid \"x\": \"x\" is not an integer in 2..1024");
}

TEST(BakeOptions, Ranges) {
  const AxisRanges all = parseRanges("-2:2");
  for (const auto& r : all) EXPECT_EQ(r, std::make_pair(-2.0, 2.0));
  const AxisRanges each = parseRanges("-1:1,0:3,-0.5:0.5,2:4");
  EXPECT_EQ(each[1], std::make_pair(0.0, 3.0));
  EXPECT_EQ(each[2], std::make_pair(-0.5, 0.5));
  EXPECT_EQ(errorOf([] { parseRanges("2:-2"); }),
            "--range \"2:-2\": \"2:-2\" is not min:max with min < max");
  EXPECT_EQ(errorOf([] { parseRanges("-1:1,0:3"); }),
            "--range \"-1:1,0:3\": expected min:max, or four of them comma separated");
}

TEST(BakeOptions, ShardFlag) {
  const Shard s = parseShard("3/8");
  EXPECT_EQ(s.index, 3);
  EXPECT_EQ(s.count, 8);
  EXPECT_EQ(errorOf([] { parseShard("8/8"); }), "--shard \"8/8\": expected i/n with 0 <= i < n");
  EXPECT_EQ(errorOf([] { parseShard("1"); }), "--shard \"1\": expected i/n with 0 <= i < n");
  // The flag wins over the environment.
  Env env{{{"SLURM_ARRAY_TASK_ID", "5"}, {"SLURM_ARRAY_TASK_COUNT", "6"}}};
  EXPECT_EQ(resolveShard("1/2", 0, env.get()).index, 1);
}

TEST(BakeOptions, ShardFromSlurmJobArrays) {
  Env env{{{"SLURM_ARRAY_TASK_ID", "5"}, {"SLURM_ARRAY_TASK_COUNT", "6"}}};
  Shard s = resolveShard("", 0, env.get());
  EXPECT_EQ(s.index, 5);
  EXPECT_EQ(s.count, 6);
  EXPECT_EQ(s.source, "SLURM_ARRAY_TASK_ID");
  // --array=1-6: ids start at SLURM_ARRAY_TASK_MIN.
  env.vars["SLURM_ARRAY_TASK_MIN"] = "1";
  env.vars["SLURM_ARRAY_TASK_ID"] = "6";
  s = resolveShard("", 0, env.get());
  EXPECT_EQ(s.index, 5);
  EXPECT_EQ(s.count, 6);
  Env noCount{{{"SLURM_ARRAY_TASK_ID", "2"}}};
  EXPECT_EQ(errorOf([&] { resolveShard("", 0, noCount.get()); }),
            "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: run as a job array "
            "(sbatch --array=0-N) or pass --shard i/n");
  Env bad{{{"SLURM_ARRAY_TASK_ID", "two"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}};
  EXPECT_EQ(errorOf([&] { resolveShard("", 0, bad.get()); }),
            "SLURM_ARRAY_TASK_ID=\"two\": not an integer");
}

TEST(BakeOptions, ShardFromKubernetesIndexedJobs) {
  Env env{{{"JOB_COMPLETION_INDEX", "3"}}};
  Shard s = resolveShard("", 4, env.get());
  EXPECT_EQ(s.index, 3);
  EXPECT_EQ(s.count, 4);
  EXPECT_EQ(s.source, "JOB_COMPLETION_INDEX");
  env.vars["WAE_SHARD_COUNT"] = "10";
  s = resolveShard("", 0, env.get());
  EXPECT_EQ(s.count, 10);
  Env noCount{{{"JOB_COMPLETION_INDEX", "3"}}};
  EXPECT_EQ(errorOf([&] { resolveShard("", 0, noCount.get()); }),
            "JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but the shard count is not: "
            "pass --shard-count N or set WAE_SHARD_COUNT to the Job's completions");
  EXPECT_EQ(errorOf([&] { resolveShard("", 3, env.get()); }),
            "--shard \"3/3\": expected i/n with 0 <= i < n");
}

TEST(BakeOptions, NoShardByDefault) {
  const Shard s = resolveShard("", 0, Env{}.get());
  EXPECT_EQ(s.index, 0);
  EXPECT_EQ(s.count, 1);
  EXPECT_EQ(errorOf([] { resolveShard("", 4, Env{}.get()); }),
            "--shard-count 4 needs a shard index: --shard i/n, SLURM_ARRAY_TASK_ID or "
            "JOB_COMPLETION_INDEX");
}

TEST(BakeOptions, ShardPath) {
  EXPECT_EQ(shardPath("out/bank.h5", Shard{2, 8}), "out/bank.shard2of8.h5");
  EXPECT_EQ(shardPath("bank.h5", Shard{0, 3}), "bank.shard0of3.h5");
}

}  // namespace
}  // namespace wae::bankbake
