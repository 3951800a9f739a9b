// The NaN guard's exception, without LibTorch, so that trainers' headers (read by tools'
// option parsing) can name it.
#pragma once

#include <stdexcept>

namespace wae::training {

// A NaN or infinite loss term: the run stops and the last checkpoint is left as it was.
class NonFiniteLoss : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace wae::training
