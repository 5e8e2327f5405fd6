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

TEST(Signature, HmacMatchesKnownVector) {
  // RFC 4231 test case 2.
  EXPECT_EQ(to_hex(as_view(hmac_sha256("Jefe", "what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
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
