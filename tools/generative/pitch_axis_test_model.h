// For tests: a generative.pt of make_generative over a tiny dataset, from an untrained seeded
// 4-D VAE whose first axis is the pitch (train_vae --pitch-axis) and a given inverter.
#pragma once

#include <string>

namespace wae::generative {

// Writes the VAE to `vaePath` and the generative.pt to `out`; `dataset` is a dataset.h5 of
// the default audio settings (tools/mcnn/test_data.h), `inversion` make_generative's
// --inversion (an hpn.pt, an mcnn.pt or griffin-lim:N).
void writePitchAxisGenerative(const std::string& dataset, const std::string& inversion,
                              const std::string& vaePath, const std::string& out);

}  // namespace wae::generative
