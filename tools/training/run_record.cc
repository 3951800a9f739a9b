#include "tools/training/run_record.h"

#include "common/keep_freed_memory.h"

namespace wae::training {

void setUpTorch(int threads) {
  keepFreedMemory();
  torch::set_num_threads(threads);
  torch::jit::setGraphExecutorOptimize(false);
}

}  // namespace wae::training
