// Baking generative.pt over a 4-D grid into bank.h5 (bank/schema.h), resumable and
// shardable (tools/bank/bake_file.h). The library behind bake_bank; LibTorch stays inside
// GenerativeModel.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "bank/bank_h5.h"
#include "tools/bank/bake_options.h"

namespace wae {
class GenerativeModel;
}

namespace wae::bankbake {

struct BakeResult {
  std::string path;          // the bank, or the shard's file
  size_t pointsBaked = 0;    // by this run
  size_t pointsResumed = 0;  // found done in the work file
  double seconds = 0;
};

// Whether a bank of `model` blends levels in dB, for BakeOptions::levelBlend ("auto", "db" or
// "linear"; otherwise std::invalid_argument).
bool levelInDb(const GenerativeModel& model, const std::string& levelBlend);

// The blend exponent "auto" gives a model with a decoder (bank::BankInfo::blendExponent): the
// demo's blends measured closest to its model there (docs/BANK.md, "Curved weights").
inline constexpr double kDecoderBlendExponent = 1.5;

// A bank's blend exponent for BakeOptions::blendExponent: "auto" (kDecoderBlendExponent when
// `withDecoder`, a model's GenerativeModel::hasDecode; 1 otherwise) or a number from
// bank::kMinBlendExponent to bank::kMaxBlendExponent; otherwise std::invalid_argument.
double blendExponent(bool withDecoder, const std::string& option);

// The bank's metadata for `model` with `options` (grid, ranges, storage, hash of the
// model file, audio settings; projections of options.datasetPath when the model can
// project). createdAt is left empty.
bank::BankMeta planBank(const GenerativeModel& model, const BakeOptions& options);

// The latent point (axis coordinates) of flat grid index `point`.
std::array<float, bank::kDims> gridPoint(const bank::BankInfo& info, size_t point);

// Bakes options.shard's slice into `<out>.partial` (or the shard's file + ".partial"),
// resuming it with options.resume, then finishes: a single bake becomes options.outPath; a
// shard becomes shardPath(outPath, shard), for merge_banks. Progress on stderr.
BakeResult bake(const BakeOptions& options);

}  // namespace wae::bankbake
