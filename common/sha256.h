// SHA-256 (FIPS 180-4), small and self-contained: bake_bank records the hash of the
// generative.pt a bank came from. Not constant-time; not for secrets.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace wae {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t size);
  // The digest of everything given so far; the object must not be updated afterwards.
  std::array<uint8_t, 32> digest();
  std::string hexDigest();  // 64 lowercase hex digits

 private:
  void block(const uint8_t* p);

  std::array<uint32_t, 8> h_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t totalBytes_ = 0;
};

std::string sha256Hex(const std::string& bytes);
// Throws std::runtime_error naming the file if it cannot be read.
std::string sha256FileHex(const std::string& path);

}  // namespace wae
