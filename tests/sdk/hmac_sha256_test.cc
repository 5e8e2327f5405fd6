// sdk/include/ttbridge/hmac_sha256.hpp against the published vectors: FIPS 180-2 for SHA-256 and
// RFC 4231 (all seven cases) for HMAC-SHA256.
#include <gtest/gtest.h>

#include <string>

#include "ttbridge/hmac_sha256.hpp"

namespace {

using ttb::sdk::hmac_sha256_hex;
using ttb::sdk::sha256;
using ttb::sdk::to_hex;

std::string bytes(std::size_t n, unsigned char value) {
  return std::string(n, static_cast<char>(value));
}

TEST(Sha256, MatchesFips180Vectors) {
  EXPECT_EQ(to_hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(to_hex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalUpdatesEqualOneShot) {
  ttb::sdk::Sha256 h;
  const std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.update(chunk);  // one million 'a', across block boundaries
  EXPECT_EQ(to_hex(h.digest()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(HmacSha256, MatchesRfc4231Case1) {
  EXPECT_EQ(hmac_sha256_hex(bytes(20, 0x0b), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacSha256, MatchesRfc4231Case2KeyShorterThanOutput) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, MatchesRfc4231Case3And4) {
  EXPECT_EQ(hmac_sha256_hex(bytes(20, 0xaa), bytes(50, 0xdd)),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  std::string key;
  for (int i = 1; i <= 25; ++i) key.push_back(static_cast<char>(i));
  EXPECT_EQ(hmac_sha256_hex(key, bytes(50, 0xcd)),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

TEST(HmacSha256, MatchesRfc4231Case5Truncated) {
  EXPECT_EQ(hmac_sha256_hex(bytes(20, 0x0c), "Test With Truncation").substr(0, 32),
            "a3b6167473100ee06e0c796c2955552b");
}

TEST(HmacSha256, HashesKeysLongerThanTheBlockRfc4231Case6And7) {
  EXPECT_EQ(
      hmac_sha256_hex(bytes(131, 0xaa), "Test Using Larger Than Block-Size Key - Hash Key First"),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(
      hmac_sha256_hex(
          bytes(131, 0xaa),
          "This is a test using a larger than block-size key and a larger than block-size data. "
          "The key needs to be hashed before being used by the HMAC algorithm."),
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}
}  // namespace
