// Writes a tiny synthetic dataset.h5 (test_data.h) for the shell tests.
#include <CLI/CLI.hpp>
#include <iostream>

#include "tools/vae/test_data.h"

int main(int argc, char** argv) {
  std::string out;
  wae::vae::TinyDatasetOptions o;
  CLI::App app{"Writes a tiny synthetic dataset.h5 for the VAE tests"};
  app.add_option("--out", out, "dataset.h5 to write")->required();
  app.add_option("--train", o.train)->capture_default_str();
  app.add_option("--valid", o.valid)->capture_default_str();
  app.add_option("--test", o.test)->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    wae::vae::writeTinyDataset(out, o);
  } catch (const std::exception& e) {
    std::cerr << "write_tiny_dataset: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
