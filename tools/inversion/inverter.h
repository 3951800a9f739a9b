// The spectrogram inverter of make_generative and evaluate_inversion, chosen by a spec:
//   "griffin-lim" or "griffin-lim:N"   fast Griffin-Lim, N iterations (default 32)
//   anything else                       the path of an hpn.pt (train_hpn) or an mcnn.pt
//                                       (train_mcnn), told apart by their format attribute
// Both kinds are TorchScript modules with forward(mel [B, n_mels, T]) -> [B, hop * T].
// LibTorch: include only from tools code.
#pragma once

#include <torch/script.h>

#include <string>

#include "common/audio_settings.h"

namespace wae::inversion {

struct InverterInfo {
  std::string kind;         // "hpn", "mcnn" or "griffin-lim"
  std::string description;  // e.g. "mcnn.pt (epoch 41, 8 heads)" or "griffin-lim:64 (nnls)"
  AudioSettings settings;   // the inverter's (its n_frames / n_samples are the expected ones)
};

inline constexpr int kDefaultGriffinLimIterations = 32;

// Makes or loads the inverter for mels of `expected` settings (`expectedWhere` names where
// they come from, for messages). An mcnn.pt made for other settings is refused with a
// wae::FormatError naming each differing field and both values (its n_frames and n_samples
// may differ: the MCNN runs on any length). A bad Griffin-Lim spec throws
// std::invalid_argument; a missing or malformed mcnn.pt, wae::FormatError.
torch::jit::Module makeInverter(const std::string& spec, const AudioSettings& expected,
                                const std::string& expectedWhere, InverterInfo* info = nullptr);

}  // namespace wae::inversion
