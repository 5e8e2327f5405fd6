// Where an outbound request goes, read from its URL: the parts of an absolute URL, what the
// request line and Host header get, and the URLs that are refused with a reason. A plugin chooses
// its URLs, so nothing in one may end the request line early.
#include <gtest/gtest.h>

#include "net/client_target.h"
#include "net/http_client.h"

namespace ttb::net {
namespace {

using namespace std::string_literals;

ClientTarget target_of(const std::string& url) {
  std::string error;
  std::optional<ClientTarget> target = client_target(url, error);
  EXPECT_TRUE(target.has_value()) << url << ": " << error;
  return target.value_or(ClientTarget{});
}

std::string refusal_of(const std::string& url) {
  std::string error;
  EXPECT_FALSE(client_target(url, error).has_value()) << url;
  return error;
}

TEST(ClientTarget, ReadsHostPortAndTheRequestLinesTarget) {
  const ClientTarget t =
      target_of("https://user:secret@api.vendor.example:8443/v1/x?a=1&b=%20#top");
  EXPECT_TRUE(t.tls);
  EXPECT_EQ(t.host, "api.vendor.example");
  EXPECT_FALSE(t.host_is_address);
  EXPECT_EQ(t.port, 8443);
  EXPECT_EQ(t.path_etc, "/v1/x?a=1&b=%20") << "no userinfo, no fragment, escapes kept";
  EXPECT_EQ(t.host_header, "api.vendor.example:8443");
  EXPECT_EQ(t.pool_key, "https://api.vendor.example:8443");
}

TEST(ClientTarget, TheSchemesPortIsTheDefaultAndLeftOutOfTheHostHeader) {
  const ClientTarget plain = target_of("HTTP://127.0.0.1");
  EXPECT_FALSE(plain.tls);
  EXPECT_TRUE(plain.host_is_address);
  EXPECT_EQ(plain.port, 80);
  EXPECT_EQ(plain.path_etc, "/");
  EXPECT_EQ(plain.host_header, "127.0.0.1");
  EXPECT_EQ(plain.pool_key, "http://127.0.0.1:80");
  EXPECT_EQ(target_of("https://h:443/").host_header, "h");
  EXPECT_EQ(target_of("https://h:/a").port, 443) << "an empty port is the scheme's";
}

TEST(ClientTarget, AnIpv6HostIsBracketedWhereItIsWritten) {
  const ClientTarget t = target_of("http://[::1]:9000?q");
  EXPECT_EQ(t.host, "::1");
  EXPECT_TRUE(t.host_is_address);
  EXPECT_EQ(t.port, 9000);
  EXPECT_EQ(t.path_etc, "/?q");
  EXPECT_EQ(t.host_header, "[::1]:9000");
  EXPECT_EQ(t.pool_key, "http://[::1]:9000");
}

TEST(ClientTarget, BytesARequestLineCannotHoldAreEscaped) {
  const ClientTarget t = target_of("http://h/a b\r\nX-Injected: 1?q=\"<x>\"\x01\xc3\xa9");
  EXPECT_EQ(t.path_etc, "/a%20b%0D%0AX-Injected:%201?q=%22%3Cx%3E%22%01%C3%A9");
}

TEST(ClientTarget, RefusesWhatIsNotAnAbsoluteHttpUrlWithAHost) {
  EXPECT_NE(refusal_of("").find("scheme"), std::string::npos);
  EXPECT_NE(refusal_of("127.0.0.1/x").find("scheme"), std::string::npos);
  EXPECT_NE(refusal_of("1http://h/").find("scheme"), std::string::npos);
  EXPECT_EQ(refusal_of("ftp://h/file"), "unsupported URL scheme 'ftp'");
  EXPECT_EQ(refusal_of("file:///etc/passwd"), "unsupported URL scheme 'file'");
  EXPECT_NE(refusal_of("http:h/x").find("//"), std::string::npos);
  EXPECT_EQ(refusal_of("http://"), "URL has no host");
  EXPECT_EQ(refusal_of("http:///x"), "URL has no host");
  EXPECT_EQ(refusal_of("https://user@:8080/"), "URL has no host");
}

TEST(ClientTarget, RefusesABadPortOrHost) {
  for (const std::string port : {"0", "65536", "99999", "8o", "-1", "123456789012"}) {
    EXPECT_NE(refusal_of("http://h:" + port + "/").find("is not 1 to 65535"), std::string::npos)
        << port;
  }
  EXPECT_EQ(target_of("http://h:65535/").port, 65535);
  EXPECT_NE(refusal_of("http://[::1/x").find("IPv6"), std::string::npos);
  EXPECT_NE(refusal_of("http://[example.com]/").find("IPv6"), std::string::npos);
  EXPECT_NE(refusal_of("http://[::\0\r\n1]:9000/"s).find("IPv6"), std::string::npos);
  EXPECT_NE(refusal_of("http://[::1]x/").find("after the IPv6"), std::string::npos);
  EXPECT_NE(refusal_of("http://a b/").find("host"), std::string::npos);
  EXPECT_EQ(target_of("http://" + std::string(253, 'a') + "/").host.size(), 253u);
  EXPECT_NE(refusal_of("http://" + std::string(254, 'a') + "/").find("longer than 253"),
            std::string::npos);
  EXPECT_NE(refusal_of("http://[fe80::1%" + std::string(70000, 'z') + "]/").find("longer than 253"),
            std::string::npos)
      << "an IPv6 address's zone too";
  EXPECT_NE(refusal_of("http://a\r\nHost: b/").find("host"), std::string::npos);
}

TEST(UnsendableMethod, OnlyATokenOpensARequestLine) {
  for (const std::string ok : {"GET", "POST", "PATCH", "PROPFIND", "M-SEARCH", "X_1"})
    EXPECT_EQ(unsendable_method(ok), "") << ok;
  EXPECT_NE(unsendable_method(""), "");
  EXPECT_NE(unsendable_method("GET "), "");
  EXPECT_NE(unsendable_method("GET\r\nX: y"), "");
  EXPECT_NE(unsendable_method("G\0T"s), "");
  EXPECT_NE(unsendable_method("GÉT"), "");
  EXPECT_NE(unsendable_method(std::string(33, 'A')), "");
}

TEST(RedactUrl, DropsUserinfoQueryAndFragment) {
  EXPECT_EQ(redact_url("https://apiuser:s3cret@vendor.example.com:8443/v1/orders/42?k=v#f"),
            "https://vendor.example.com:8443/v1/orders/42");
  EXPECT_EQ(redact_url("ftp://[::1]/a b"), "ftp://[::1]/a%20b") << "any scheme is shown";
  EXPECT_EQ(redact_url("not a url"), "<invalid url>");
}

}  // namespace
}  // namespace ttb::net
