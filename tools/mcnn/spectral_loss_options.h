// The spectral loss's command-line options that train_mcnn and train_hpn both have: --fft-sizes,
// --sc-weight and --log-mag-weight, with the defaults the options hold. For the tools' mains.
#pragma once

#include <CLI/CLI.hpp>

#include "tools/mcnn/spectral_loss.h"

namespace wae::mcnn {

inline void addSpectralLossOptions(CLI::App& app, SpectralLossOptions& loss) {
  app.add_option("--fft-sizes", loss.fftSizes, "STFT sizes of the loss")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--sc-weight", loss.scWeight, "spectral convergence weight")
      ->capture_default_str();
  app.add_option("--log-mag-weight", loss.logMagWeight, "log-magnitude L1 weight")
      ->capture_default_str();
}

}  // namespace wae::mcnn
