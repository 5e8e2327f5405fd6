// url.hpp: which strings are http(s) URLs, vendor ids as exactly one URL segment, and paging
// links followed only on base_url's origin (so a plugin's credential never goes elsewhere).
#include "ttbridge/url.hpp"

#include <gtest/gtest.h>

namespace {

using ttb::sdk::encode_segment;
using ttb::sdk::is_http_url;
using ttb::sdk::origin_of;
using ttb::sdk::resolve_link;

TEST(SdkUrl, HttpUrlsNeedSomethingAfterTheScheme) {
  EXPECT_TRUE(is_http_url("https://api.example.com/v1"));
  EXPECT_TRUE(is_http_url("http://127.0.0.1:8080"));
  EXPECT_FALSE(is_http_url("https://"));
  EXPECT_FALSE(is_http_url("http://"));
  EXPECT_FALSE(is_http_url("ftp://example.com"));
  EXPECT_FALSE(is_http_url("example.com"));
  EXPECT_FALSE(is_http_url(""));
}

TEST(SdkUrl, EncodesIdsAsOneSegment) {
  EXPECT_EQ(encode_segment("4711"), "4711");
  EXPECT_EQ(encode_segment("501"), "501");
  EXPECT_EQ(encode_segment("AB12CD-EF3"), "AB12CD-EF3");
  EXPECT_EQ(encode_segment("../admin?x=1"), "..%2Fadmin%3Fx%3D1");
  EXPECT_EQ(encode_segment("../x?y"), "..%2Fx%3Fy");
  EXPECT_EQ(encode_segment("5/../x?y"), "5%2F..%2Fx%3Fy");
  EXPECT_EQ(encode_segment("pr 1"), "pr%201");
  EXPECT_EQ(encode_segment("a_b.c~d"), "a_b.c~d");
}

TEST(SdkUrl, EncodesDotSegmentsSoTheyCannotWalkThePath) {
  EXPECT_EQ(encode_segment(".."), "%2E%2E");
  EXPECT_EQ(encode_segment("."), "%2E");
  EXPECT_EQ(encode_segment("..."), "...");
}

TEST(SdkUrl, OriginIsLowerCasedWithoutTheDefaultPort) {
  EXPECT_EQ(origin_of("HTTPS://Codility.com:443/api"), "https://codility.com");
  EXPECT_EQ(origin_of("http://Example.com:80/x?y#z"), "http://example.com");
  EXPECT_EQ(origin_of("https://example.com:8443/x"), "https://example.com:8443");
  EXPECT_EQ(origin_of("https://example.com:80/x"), "https://example.com:80");
  EXPECT_EQ(origin_of("https://example.com?x=1"), "https://example.com");
}

TEST(SdkUrl, NoOriginForUserInfoOtherSchemesOrNoHost) {
  EXPECT_FALSE(origin_of("https://user@codility.com/api"));
  EXPECT_FALSE(origin_of("ftp://example.com/x"));
  EXPECT_FALSE(origin_of("https:///x"));
  EXPECT_FALSE(origin_of("/relative/path"));
}

TEST(SdkUrl, ResolvesLinksOnlyOnBaseUrlsOrigin) {
  const std::string base = "https://www.hackerrank.com/x/api/v3";
  EXPECT_EQ(resolve_link(base + "/tests?offset=100", base), base + "/tests?offset=100");
  EXPECT_EQ(resolve_link("HTTPS://WWW.hackerrank.com:443/y", base),
            "HTTPS://WWW.hackerrank.com:443/y");
  EXPECT_EQ(resolve_link("/x/api/v3/tests?offset=100", base),
            "https://www.hackerrank.com/x/api/v3/tests?offset=100");
  EXPECT_FALSE(resolve_link("//evil.example/x", "https://codility.com/api"));
  for (const char* evil : {"https://evil.example/x/api/v3/tests", "//evil.example/tests",
                           "https://www.hackerrank.com@evil.example/",
                           "http://www.hackerrank.com/x/api/v3/tests", "tests?offset=100", ""}) {
    EXPECT_FALSE(resolve_link(evil, base)) << evil;
  }
}

TEST(SdkUrl, RefusesLinksWithSpacesOrControlCharacters) {
  const std::string base = "https://example.com/api";
  EXPECT_FALSE(resolve_link("/api/x y", base));
  EXPECT_FALSE(resolve_link("/api/x\r\nHost: evil.example", base));
  EXPECT_FALSE(resolve_link(std::string("/api/x\x7f", 7), base));
  EXPECT_FALSE(resolve_link("/x", "not a url"));
}

}  // namespace
