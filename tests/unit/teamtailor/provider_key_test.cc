#include "teamtailor/provider_key.h"

#include <gtest/gtest.h>

#include "teamtailor/crypto.h"

namespace ttb::teamtailor {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

constexpr std::string_view kApiKey = "partner-api-key";
const auto kNow = system_clock::time_point(seconds(1718000000));

std::string bearer(const std::string& credential) {
  return "Bearer " + credential;
}

// A JWT of the given JSON texts, signed with the raw primitive: what make_jwt_hs256 cannot build
// (a name given twice) or must not be trusted to (an independent check of it).
std::string hand_made_jwt(std::string_view header_json, std::string_view payload_json) {
  const std::string input = base64url_encode(header_json) + "." + base64url_encode(payload_json);
  return input + "." + base64url_encode(as_view(hmac_sha256(kApiKey, input)));
}

TEST(ProviderKey, AcceptsHs256JwtAndTakesTheTokenClaim) {
  auto jwt = make_jwt_hs256({{"externalTriggerToken", "acme-token"}}, kApiKey);
  auto key = read_provider_key(bearer(jwt), kApiKey, kNow);
  ASSERT_TRUE(key.ok) << key.error;
  EXPECT_TRUE(key.from_jwt);
  EXPECT_EQ(key.activation_token, "acme-token");
}

TEST(ProviderKey, VerifiesAJwtBuiltIndependently) {
  const std::string jwt =
      hand_made_jwt(R"({"alg":"HS256","typ":"JWT"})",
                    R"({"externalTriggerToken":"tok","iat":1718000000,"exp":1718003600})");
  auto key = read_provider_key("bearer  " + jwt + " ", kApiKey, kNow);
  ASSERT_TRUE(key.ok) << key.error;
  EXPECT_EQ(key.activation_token, "tok");
}

TEST(ProviderKey, RefusesAlgNone) {
  auto jwt = make_jwt_hs256({{"externalTriggerToken", "acme-token"}}, kApiKey, "none");
  ASSERT_EQ(jwt.back(), '.');
  auto key = read_provider_key(bearer(jwt), kApiKey, kNow);
  EXPECT_FALSE(key.ok);
  EXPECT_TRUE(key.activation_token.empty());
  EXPECT_NE(key.error.find("algorithm"), std::string::npos);
}

TEST(ProviderKey, RefusesAlgNoneEvenWithAValidLookingSignature) {
  auto jwt = make_jwt_hs256({{"externalTriggerToken", "acme-token"}}, kApiKey, "None");
  EXPECT_FALSE(read_provider_key(bearer(jwt), kApiKey, kNow).ok);
}

TEST(ProviderKey, RefusesOtherAlgorithms) {
  for (const char* alg : {"HS512", "RS256", "hs256", "ES256"}) {
    auto jwt = make_jwt_hs256({{"externalTriggerToken", "acme-token"}}, kApiKey, alg);
    auto key = read_provider_key(bearer(jwt), kApiKey, kNow);
    EXPECT_FALSE(key.ok) << alg;
    EXPECT_NE(key.error.find("algorithm"), std::string::npos) << alg;
  }
}

TEST(ProviderKey, RefusesJwtSignedWithAnotherKey) {
  auto jwt = make_jwt_hs256({{"externalTriggerToken", "acme-token"}}, "someone-else");
  auto key = read_provider_key(bearer(jwt), kApiKey, kNow);
  EXPECT_FALSE(key.ok);
  EXPECT_NE(key.error.find("signature"), std::string::npos);
}

TEST(ProviderKey, RefusesTamperedPayload) {
  auto jwt = make_jwt_hs256({{"externalTriggerToken", "acme-token"}}, kApiKey);
  auto dot1 = jwt.find('.');
  auto dot2 = jwt.find('.', dot1 + 1);
  const std::string forged = jwt.substr(0, dot1 + 1) +
                             base64url_encode(R"({"externalTriggerToken":"other-tenant"})") +
                             jwt.substr(dot2);
  EXPECT_FALSE(read_provider_key(bearer(forged), kApiKey, kNow).ok);
}

TEST(ProviderKey, RefusesTruncatedSignature) {
  auto jwt = make_jwt_hs256({{"externalTriggerToken", "acme-token"}}, kApiKey);
  jwt.resize(jwt.size() - 4);
  auto key = read_provider_key(bearer(jwt), kApiKey, kNow);
  EXPECT_FALSE(key.ok);  // still JWT-shaped: never taken for a legacy key
}

TEST(ProviderKey, RefusesExpiredJwt) {
  auto jwt = make_jwt_hs256({{"externalTriggerToken", "t"}, {"exp", 1718000000 - 3600}}, kApiKey);
  auto key = read_provider_key(bearer(jwt), kApiKey, kNow);
  EXPECT_FALSE(key.ok);
  EXPECT_NE(key.error.find("expired"), std::string::npos);
}

TEST(ProviderKey, AcceptsJwtThatExpiresLater) {
  auto jwt = make_jwt_hs256({{"externalTriggerToken", "t"}, {"exp", 1718000000 + 3600}}, kApiKey);
  EXPECT_TRUE(read_provider_key(bearer(jwt), kApiKey, kNow).ok);
}

TEST(ProviderKey, ReadsNumericDatesWithAFractionOrOutOfInt64Range) {
  // RFC 7519 allows a fraction; a date beyond int64 is clamped, not cast (that would be undefined).
  auto jwt =
      make_jwt_hs256({{"externalTriggerToken", "t"}, {"exp", 1718000000.0 + 3600.5}}, kApiKey);
  EXPECT_TRUE(read_provider_key(bearer(jwt), kApiKey, kNow).ok);
  jwt = make_jwt_hs256({{"externalTriggerToken", "t"}, {"exp", 1e300}}, kApiKey);
  EXPECT_TRUE(read_provider_key(bearer(jwt), kApiKey, kNow).ok);
  jwt = make_jwt_hs256({{"externalTriggerToken", "t"}, {"exp", -1e300}}, kApiKey);
  auto key = read_provider_key(bearer(jwt), kApiKey, kNow);
  EXPECT_FALSE(key.ok);
  EXPECT_NE(key.error.find("expired"), std::string::npos) << key.error;
  jwt = make_jwt_hs256({{"externalTriggerToken", "t"}, {"nbf", 18446744073709551615ULL}}, kApiKey);
  key = read_provider_key(bearer(jwt), kApiKey, kNow);
  EXPECT_FALSE(key.ok);
  EXPECT_NE(key.error.find("not valid yet"), std::string::npos) << key.error;
}

TEST(ProviderKey, AClaimGivenTwiceCountsByItsLastValue) {
  const std::string jwt =
      hand_made_jwt(R"({"alg":"none","alg":"HS256"})",
                    R"({"externalTriggerToken":"first","externalTriggerToken":"last"})");
  auto key = read_provider_key(bearer(jwt), kApiKey, kNow);
  ASSERT_TRUE(key.ok) << key.error;
  EXPECT_EQ(key.activation_token, "last");
  EXPECT_EQ(claimed_activation_token(bearer(jwt)), "last");
}

TEST(ProviderKey, RefusesNonNumericExp) {
  auto jwt = make_jwt_hs256({{"externalTriggerToken", "t"}, {"exp", "tomorrow"}}, kApiKey);
  EXPECT_FALSE(read_provider_key(bearer(jwt), kApiKey, kNow).ok);
}

TEST(ProviderKey, RefusesJwtNotValidYet) {
  auto jwt = make_jwt_hs256({{"externalTriggerToken", "t"}, {"nbf", 1718000000 + 3600}}, kApiKey);
  EXPECT_FALSE(read_provider_key(bearer(jwt), kApiKey, kNow).ok);
}

TEST(ProviderKey, RefusesJwtWithoutTheClaim) {
  for (const auto& claims :
       {nlohmann::json{{"sub", "x"}}, nlohmann::json{{"externalTriggerToken", 5}},
        nlohmann::json{{"externalTriggerToken", ""}}}) {
    auto key = read_provider_key(bearer(make_jwt_hs256(claims, kApiKey)), kApiKey, kNow);
    EXPECT_FALSE(key.ok) << claims.dump();
    EXPECT_NE(key.error.find("externalTriggerToken"), std::string::npos);
  }
}

TEST(ProviderKey, RefusesJwtWhenNoApiKeyIsConfigured) {
  auto jwt = make_jwt_hs256({{"externalTriggerToken", "t"}}, "");
  EXPECT_FALSE(read_provider_key(bearer(jwt), "", kNow).ok);
}

TEST(ProviderKey, TakesANonJwtBearerAsTheActivationToken) {
  for (const char* legacy : {"0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", "legacy_key_123", "a.b"}) {
    auto key = read_provider_key(bearer(legacy), kApiKey, kNow);
    ASSERT_TRUE(key.ok) << legacy;
    EXPECT_FALSE(key.from_jwt);
    EXPECT_EQ(key.activation_token, legacy);
  }
}

TEST(ProviderKey, RefusesMissingOrNonBearerCredentials) {
  for (const char* header : {"", "   ", "Basic dXNlcjpwYXNz", "Token token=abc", "Bearer",
                             "Bearer   ", "Bearer two words"}) {
    auto key = read_provider_key(header, kApiKey, kNow);
    EXPECT_FALSE(key.ok) << header;
    EXPECT_FALSE(key.error.empty());
  }
}

TEST(ProviderKey, ErrorsNeverContainTheCredential) {
  auto jwt = make_jwt_hs256({{"externalTriggerToken", "secret-token"}}, "wrong-key");
  auto key = read_provider_key(bearer(jwt), kApiKey, kNow);
  ASSERT_FALSE(key.ok);
  EXPECT_EQ(key.error.find("secret-token"), std::string::npos);
  EXPECT_EQ(key.error.find(kApiKey), std::string::npos);
  EXPECT_EQ(key.error.find(jwt), std::string::npos);
}

TEST(Base64Url, RoundTripsAndRejectsForeignAlphabet) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00"}) {
    auto decoded = base64url_decode(base64url_encode(s));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, s);
  }
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_FALSE(base64url_decode("ab+/"));
  EXPECT_FALSE(base64url_decode("Zm9v="));
  EXPECT_FALSE(base64url_decode("a"));
}

TEST(ProviderKey, ClaimedTokenIsReadWithoutVerifyingSoItOnlyPicksAKey) {
  // Signed with another key: the claim is still read (to pick the connection whose key then
  // refuses it), and read_provider_key with that key refuses it.
  auto jwt = make_jwt_hs256({{"externalTriggerToken", "north-token"}}, "another-api-key");
  EXPECT_EQ(claimed_activation_token(bearer(jwt)), std::optional<std::string>("north-token"));
  EXPECT_FALSE(read_provider_key(bearer(jwt), kApiKey, kNow).ok);
  EXPECT_TRUE(read_provider_key(bearer(jwt), "another-api-key", kNow).ok);

  EXPECT_EQ(claimed_activation_token(bearer("legacy-raw-token")),
            std::optional<std::string>("legacy-raw-token"));
  EXPECT_EQ(claimed_activation_token(""), std::nullopt);
  EXPECT_EQ(claimed_activation_token("Token abc"), std::nullopt);
  EXPECT_EQ(claimed_activation_token(bearer(make_jwt_hs256({{"other", "x"}}, kApiKey))),
            std::nullopt);
}

TEST(ProviderKey, ALegacyKeyComesBackAsNotFromAJwtForTheCallerToJudge) {
  auto key = read_provider_key(bearer("0123456789abcdef0123456789abcdef"), kApiKey, kNow);
  ASSERT_TRUE(key.ok) << key.error;
  EXPECT_FALSE(key.from_jwt);  // authenticate_tenant refuses it unless legacy_provider_key
}

}  // namespace
}  // namespace ttb::teamtailor
