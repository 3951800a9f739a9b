#include "tools/training/test_util.h"

namespace wae::training {

::testing::AssertionResult sameParameters(const torch::jit::Module& a,
                                          const torch::jit::Module& b) {
  const auto pa = a.named_parameters(), pb = b.named_parameters();
  if (pa.size() != pb.size())
    return ::testing::AssertionFailure() << pa.size() << " parameters against " << pb.size();
  auto ib = pb.begin();
  for (const auto& p : pa) {
    const auto q = *ib;
    ++ib;
    if (p.name != q.name)
      return ::testing::AssertionFailure() << "parameter " << p.name << " against " << q.name;
    if (!torch::equal(p.value, q.value))
      return ::testing::AssertionFailure() << "parameter " << p.name << " differs";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace wae::training
