// The small bank the bank tests write and damage (bank_test, damaged_bank_test). Tests only.
//
// Threads: stateless.
#pragma once

#include <string>

#include "bank/bank_data.h"

namespace wae::bank {

inline constexpr int kTestBankLength = 64;  // samples a point

// A version 1 bank: the [3, 3, 2, 2] grid (axis a from -1 - a to 1 + a), 22050 Hz,
// kTestBankLength samples a point of a sine that drifts from point to point (peak 0.5), in
// `storage` (int16 at the scale of its loudest sample), made by `createdBy` on 2024-01-01
// from a model whose SHA-256 is all 'a'. No pitch, no projections: tests add what they need.
BankData testBank(StorageType storage, const std::string& createdBy);

}  // namespace wae::bank
