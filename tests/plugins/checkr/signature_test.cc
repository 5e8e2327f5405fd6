// signature: Checkr's X-Checkr-Signature, the HMAC-SHA256 of the raw body.
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "signature.h"
#include "ttbridge/hmac_sha256.hpp"

namespace {

using ttb::checkr::signature_is_valid;

TEST(CheckrSignature, AcceptsTheHmacOfTheRawBodyInEitherCase) {
  const std::string body = R"({"id":"evt_1","type":"report.completed"})";
  const std::string sig = ttb::sdk::hmac_sha256_hex("sk_key", body);
  EXPECT_TRUE(signature_is_valid("sk_key", body, sig));
  std::string upper = sig;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(signature_is_valid("sk_key", body, upper));
}

TEST(CheckrSignature, RejectsWrongKeyChangedBodyMissingHeaderAndPlaceholder) {
  const std::string body = R"({"id":"evt_1"})";
  const std::string sig = ttb::sdk::hmac_sha256_hex("sk_key", body);
  EXPECT_FALSE(signature_is_valid("other", body, sig));
  EXPECT_FALSE(
      signature_is_valid("sk_key", body + " ", sig));  // re-serialized bodies do not verify
  EXPECT_FALSE(signature_is_valid("sk_key", body, std::nullopt));
  EXPECT_FALSE(signature_is_valid("sk_key", body, std::string_view("")));
  EXPECT_FALSE(signature_is_valid("sk_key", body,
                                  std::string_view("This account does not have an API key")));
  EXPECT_FALSE(signature_is_valid("sk_key", body, sig.substr(0, 63)));
}

}  // namespace
