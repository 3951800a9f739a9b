#include "common/sha256.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/testing/temp_dir.h"

namespace wae {
namespace {

// FIPS 180-4 / NIST CAVP example vectors.
TEST(Sha256, StandardVectors) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklm"
                      "nopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PiecewiseUpdatesEqualOneUpdate) {
  std::string msg;
  for (int i = 0; i < 1000; ++i) msg += char(i * 7);
  Sha256 s;
  for (size_t at = 0, step = 1; at < msg.size(); at += step, step = step % 70 + 1)
    s.update(msg.data() + at, std::min(step, msg.size() - at));
  EXPECT_EQ(s.hexDigest(), sha256Hex(msg));
}

TEST(Sha256, File) {
  const testing::TempDir tmp;
  const std::string path = tmp.file("sha.bin");
  std::ofstream(path, std::ios::binary) << "abc";
  EXPECT_EQ(sha256FileHex(path), sha256Hex("abc"));
  EXPECT_THROW(sha256FileHex(path + ".missing"), std::runtime_error);
}

}  // namespace
}  // namespace wae
