#include "tools/training/run_record.h"

namespace wae::training {

void setUpTorch(int threads) {
  torch::set_num_threads(threads);
  torch::jit::setGraphExecutorOptimize(false);
}

}  // namespace wae::training
