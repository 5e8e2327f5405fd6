#include "teamtailor/signature.h"

#include <gtest/gtest.h>

#include "teamtailor/crypto.h"

namespace ttb::teamtailor {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

constexpr std::int64_t kT = 1718000000;
constexpr std::string_view kSecret = "whsec-test";
constexpr std::string_view kEvent = "5b0c2d1e-7a44-4f0e-9c1a-2f3e4d5c6b7a";
const auto kNow = system_clock::time_point(seconds(kT));
constexpr seconds kTolerance{300};

std::string v1(std::int64_t t, std::string_view event, std::string_view secret = kSecret) {
  return to_hex(as_view(hmac_sha256(secret, std::to_string(t) + "." + std::string(event))));
}

TEST(Signature, AcceptsHeaderBuiltBySignHeader) {
  EXPECT_EQ(verify_signature(sign_header(kSecret, kT, kEvent), kEvent, kSecret, kNow, kTolerance),
            SignatureVerdict::valid);
}

TEST(Signature, MatchesIndependentHmacOfTimestampDotEventId) {
  // printf '%s' "1718000000.5b0c2d1e-..." | openssl dgst -sha256 -hmac whsec-test
  const std::string header =
      "t=1718000000,v1=0f71ed15a2fdf65d90fefbc24f9cba2ac18719cfa65217b8f3f6c3c25808d075,v0=00";
  EXPECT_EQ(verify_signature(header, kEvent, kSecret, kNow, kTolerance), SignatureVerdict::valid);
}

TEST(Signature, HmacMatchesKnownVectors) {
  // RFC 4231 test case 2: a key shorter than the message.
  EXPECT_EQ(to_hex(as_view(hmac_sha256("Jefe", "what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // RFC 4231 test case 1: a 20-byte key of 0x0b.
  EXPECT_EQ(to_hex(as_view(hmac_sha256(std::string(20, '\x0b'), "Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // RFC 4231 test case 6: a 131-byte key, longer than a block, is hashed first.
  EXPECT_EQ(to_hex(as_view(hmac_sha256(std::string(131, '\xaa'),
                                       "Test Using Larger Than Block-Size Key - Hash Key First"))),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // A key of exactly one block is used as it is (openssl dgst -sha256 -mac HMAC -macopt
  // hexkey:<64 x 0x61>).
  EXPECT_EQ(to_hex(as_view(hmac_sha256(std::string(64, 'a'), "x"))),
            "b65ca3a3235f948bc0e6bd747532c54a983b54ddad1a4d1bd8b958e065b1cab4");
  // An empty key and an empty message are legal.
  EXPECT_EQ(to_hex(as_view(hmac_sha256("", ""))),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(Signature, Sha256MatchesKnownVectors) {
  // FIPS 180-2, appendix B.1, and the digest of nothing.
  EXPECT_EQ(to_hex(as_view(sha256("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(as_view(sha256(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Signature, AcceptsWithinToleranceInBothDirections) {
  const auto header = sign_header(kSecret, kT, kEvent);
  EXPECT_EQ(verify_signature(header, kEvent, kSecret, kNow + seconds(300), kTolerance),
            SignatureVerdict::valid);
  EXPECT_EQ(verify_signature(header, kEvent, kSecret, kNow - seconds(300), kTolerance),
            SignatureVerdict::valid);
}

TEST(Signature, RejectsStaleSignatureFromThePast) {
  const auto header = sign_header(kSecret, kT, kEvent);
  EXPECT_EQ(verify_signature(header, kEvent, kSecret, kNow + seconds(301), kTolerance),
            SignatureVerdict::stale);
}

TEST(Signature, ATimestampPastTheClocksRangeIsStaleNotWrappedAround) {
  // Signed with the secret, but for a time in nanoseconds past 64 bits: compared in the clock's
  // own unit it overflowed, and some values wrapped around to now.
  for (const std::int64_t t : {std::int64_t{99'999'999'999}, std::int64_t{999'999'999'999'999'999},
                               kT + 18'446'744'074}) {  // wraps to within a second of kT
    EXPECT_EQ(verify_signature(sign_header(kSecret, t, kEvent), kEvent, kSecret, kNow, kTolerance),
              SignatureVerdict::stale)
        << t;
  }
}

TEST(Signature, RejectsStaleSignatureFromTheFuture) {
  const auto header = sign_header(kSecret, kT, kEvent);
  EXPECT_EQ(verify_signature(header, kEvent, kSecret, kNow - seconds(301), kTolerance),
            SignatureVerdict::stale);
}

TEST(Signature, RejectsNonHexV1) {
  std::string bad = v1(kT, kEvent);
  bad[10] = 'z';
  EXPECT_EQ(verify_signature("t=1718000000,v1=" + bad, kEvent, kSecret, kNow, kTolerance),
            SignatureVerdict::mismatch);
  EXPECT_EQ(verify_signature("t=1718000000,v1=abc", kEvent, kSecret, kNow, kTolerance),
            SignatureVerdict::mismatch);
}

TEST(Signature, RejectsDecoyOnly) {
  // A valid digest under v0 must not count: v0 is the downgrade decoy.
  const std::string header = "t=1718000000,v0=" + v1(kT, kEvent);
  EXPECT_EQ(verify_signature(header, kEvent, kSecret, kNow, kTolerance), SignatureVerdict::no_v1);
}

TEST(Signature, FindsV1AmongSeveralEntriesWithSpaces) {
  const std::string header = " t=1718000000 , v0=" + std::string(64, 'a') +
                             " ,  v1=" + std::string(64, 'b') + ", v1=" + v1(kT, kEvent) +
                             " , v2=cafe ";
  EXPECT_EQ(verify_signature(header, kEvent, kSecret, kNow, kTolerance), SignatureVerdict::valid);
}

TEST(Signature, AcceptsUpperCaseHex) {
  std::string digest = v1(kT, kEvent);
  for (auto& c : digest) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(verify_signature("t=1718000000,v1=" + digest, kEvent, kSecret, kNow, kTolerance),
            SignatureVerdict::valid);
}

TEST(Signature, RejectsWrongSecret) {
  const auto header = sign_header("another-secret", kT, kEvent);
  EXPECT_EQ(verify_signature(header, kEvent, kSecret, kNow, kTolerance),
            SignatureVerdict::mismatch);
}

TEST(Signature, RejectsSignatureOfAnotherEvent) {
  const auto header = sign_header(kSecret, kT, "another-event");
  EXPECT_EQ(verify_signature(header, kEvent, kSecret, kNow, kTolerance),
            SignatureVerdict::mismatch);
}

TEST(Signature, RejectsTimestampThatWasNotSigned) {
  // Moving t forward to dodge the window breaks the HMAC.
  const std::string header = "t=1718000999,v1=" + v1(kT, kEvent);
  EXPECT_EQ(verify_signature(header, kEvent, kSecret, kNow, kTolerance),
            SignatureVerdict::mismatch);
}

TEST(Signature, ReportsMissingHeader) {
  EXPECT_EQ(verify_signature("", kEvent, kSecret, kNow, kTolerance), SignatureVerdict::missing);
  EXPECT_EQ(verify_signature("   ", kEvent, kSecret, kNow, kTolerance), SignatureVerdict::missing);
}

TEST(Signature, ReportsMalformedHeaders) {
  for (const char* header : {"garbage", "v1=abcd", "t=,v1=ab", "t=12a,v1=ab", "t=1,t=2,v1=ab",
                             "t=1718000000,=ab", "t=99999999999999999999,v1=ab"}) {
    EXPECT_EQ(verify_signature(header, kEvent, kSecret, kNow, kTolerance),
              SignatureVerdict::malformed)
        << header;
  }
}

TEST(Signature, DescribesEveryVerdictWithoutSecrets) {
  for (auto verdict :
       {SignatureVerdict::valid, SignatureVerdict::missing, SignatureVerdict::malformed,
        SignatureVerdict::no_v1, SignatureVerdict::mismatch, SignatureVerdict::stale}) {
    std::string text = describe(verdict);
    EXPECT_FALSE(text.empty());
    EXPECT_EQ(text.find(kSecret), std::string::npos);
  }
}

}  // namespace
}  // namespace ttb::teamtailor
