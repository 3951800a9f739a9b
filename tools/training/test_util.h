// What the trainers' tests (tools/vae, tools/mcnn) check alike: that a run interrupted
// after a checkpoint and resumed ends where an uninterrupted one does. LibTorch and
// GoogleTest: tests only.
#pragma once

#include <gtest/gtest.h>
#include <torch/script.h>

#include <iostream>

namespace wae::training {

// Whether two modules have the same parameters, name for name and bit for bit.
::testing::AssertionResult sameParameters(const torch::jit::Module& a, const torch::jit::Module& b);

// Trains `options` up to epoch `interruptAfter`, then again with resume to options.epochs:
// what a run killed after that epoch's checkpoint and resumed leaves. Returns the resumed
// run's result. `train` is the trainer's entry point, train(options, log).
template <typename Options, typename Train>
auto trainInterruptedAndResumed(Options options, int interruptAfter, Train train) {
  const int epochs = options.epochs;
  options.epochs = interruptAfter;
  train(options, std::cerr);
  options.epochs = epochs;
  options.resume = true;
  return train(options, std::cerr);
}

}  // namespace wae::training
