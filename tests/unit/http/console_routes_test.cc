// The web console's routes serve the files compiled into the binary with the headers that keep a
// browser from running anything but them: a strict Content-Security-Policy, nosniff, no framing,
// revalidation on every load. The files themselves hold no inline script or style and load
// nothing from another origin.
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "http/console_assets.h"
#include "http/console_routes.h"

namespace ttb::http {
namespace {

class ConsoleRoutes : public ::testing::Test {
 protected:
  void SetUp() override { add_console_routes(router_); }

  net::Response get(const std::string& path) {
    net::Request request;
    request.method = "GET";
    request.path = path;
    net::Router::Match match = router_.match(request);
    if (match.handler == nullptr) return net::Response::text(match.method_mismatch ? 405 : 404, "");
    return (*match.handler)(request);
  }

  static std::string header(const net::Response& response, const std::string& name) {
    return net::find_header(response.headers, name).value_or("");
  }

  static void expect_security_headers(const net::Response& response) {
    EXPECT_EQ(header(response, "Content-Security-Policy").rfind("default-src 'self'", 0), 0u)
        << header(response, "Content-Security-Policy");
    EXPECT_EQ(header(response, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header(response, "X-Frame-Options"), "DENY");
    EXPECT_EQ(header(response, "Cache-Control"), "no-cache");
  }

  net::Router router_;
};

TEST_F(ConsoleRoutes, BarePathRedirectsToTheFolderSoRelativeLinksResolve) {
  net::Response response = get("/console");
  EXPECT_EQ(response.status, 308);
  EXPECT_EQ(header(response, "Location"), "console/");
  expect_security_headers(response);
}

TEST_F(ConsoleRoutes, FolderServesTheIndexPage) {
  net::Response response = get("/console/");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_NE(response.body.find("<script type=\"module\" src=\"app.js\">"), std::string::npos);
  expect_security_headers(response);
  EXPECT_EQ(get("/console/index.html").body, response.body);
}

TEST_F(ConsoleRoutes, ScriptsAndStylesCarryTheirContentType) {
  net::Response script = get("/console/app.js");
  ASSERT_EQ(script.status, 200);
  EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
  expect_security_headers(script);
  net::Response view = get("/console/views/orders.js");
  ASSERT_EQ(view.status, 200);
  EXPECT_EQ(view.content_type, "text/javascript; charset=utf-8");
  net::Response style = get("/console/style.css");
  ASSERT_EQ(style.status, 200);
  EXPECT_EQ(style.content_type, "text/css; charset=utf-8");
}

TEST_F(ConsoleRoutes, UnknownFileIs404WithTheSameHeaders) {
  net::Response response = get("/console/missing.js");
  EXPECT_EQ(response.status, 404);
  expect_security_headers(response);
  EXPECT_EQ(get("/console/../README.md").status, 404);
}

TEST_F(ConsoleRoutes, OnlyGetIsRouted) {
  net::Request request;
  request.method = "POST";
  request.path = "/console/";
  EXPECT_TRUE(router_.match(request).method_mismatch);
}

// The policy forbids inline script and style, and everything from elsewhere: a file that needed
// them would break in the browser, so they are caught here first.
TEST_F(ConsoleRoutes, AssetsHaveNoInlineCodeAndNoOtherOrigin) {
  ASSERT_FALSE(console_assets().empty());
  const std::regex inline_script("<script(?![^>]*\\bsrc=)[^>]*>", std::regex::ECMAScript);
  const std::regex inline_style("<style|\\bstyle=\"|\\son[a-z]+=\"", std::regex::icase);
  const std::regex remote(R"((src|href)=["']?(https?:)?//)", std::regex::icase);
  for (const EmbeddedAsset& asset : console_assets()) {
    const std::string text(asset.bytes);
    EXPECT_FALSE(asset.content_type.empty()) << asset.path;
    if (asset.content_type.starts_with("text/html")) {
      EXPECT_FALSE(std::regex_search(text, inline_script)) << asset.path;
      EXPECT_FALSE(std::regex_search(text, inline_style)) << asset.path;
    }
    EXPECT_FALSE(std::regex_search(text, remote)) << asset.path;
    EXPECT_EQ(text.find("@import url(http"), std::string::npos) << asset.path;
  }
}

}  // namespace
}  // namespace ttb::http
