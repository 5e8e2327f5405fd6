// GET /reports/{token} against a real SQLite store and a provider held by the test: what each
// answer of the plugin's fetch_document becomes (a redirect, the bytes, 404, 502, 503), the
// stored link served when the plugin has no fetch_document, and the same 404 for every token
// that names nothing.
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/partner_routes_impl.h"
#include "http/report_links.h"
#include "orders/order_service.h"
#include "store_fixture.h"
#include "tenants/tenant_directory.h"

namespace ttb::http {
namespace {

using nlohmann::json;
using plugins::CallResult;
using plugins::CallStatus;

constexpr const char* kKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// A provider whose fetch_document answer (and whether it has one) the test sets; it records the
// request it was given.
class DocumentProvider final : public plugins::Provider {
 public:
  bool has_fetch_document = true;
  CallResult answer{CallStatus::ok, "", "", std::nullopt};
  std::string last_request;

  bool supports_fetch_document() const override { return has_fetch_document; }
  std::future<CallResult> fetch_document(std::string request) override {
    last_request = std::move(request);
    return ready(has_fetch_document ? answer : CallResult{CallStatus::unsupported, "", "", {}});
  }

  const std::string& tenant() const override { return text_; }
  const std::string& name() const override { return text_; }
  const std::string& plugin_name() const override { return text_; }
  const std::string& plugin_version() const override { return text_; }
  bool supports_fetch_order() const override { return false; }
  bool supports_cancel_order() const override { return false; }
  bool supports_run_action() const override { return false; }
  std::future<CallResult> list_tests() override { return unsupported(); }
  std::future<CallResult> create_order(std::string) override { return unsupported(); }
  std::future<CallResult> fetch_order(std::string) override { return unsupported(); }
  std::future<CallResult> cancel_order(std::string) override { return unsupported(); }
  std::future<CallResult> run_action(std::string) override { return unsupported(); }
  std::future<CallResult> handle_callback(plugins::CallbackRequest) override {
    return unsupported();
  }

 private:
  static std::future<CallResult> ready(CallResult result) {
    std::promise<CallResult> p;
    p.set_value(std::move(result));
    return p.get_future();
  }
  static std::future<CallResult> unsupported() {
    return ready({CallStatus::unsupported, "", "", std::nullopt});
  }
  std::string text_ = "docs";
};

class ReportRoute : public store::testing::StoreFixture {
 protected:
  void SetUp() override {
    store_ = open();
    orders_ =
        std::make_unique<orders::OrderService>(*store_, orders::OrderServiceOptions{"https://t"});
    ASSERT_TRUE(orders_->accept(order("pr-1", "ev-1", "acme", "vendor")));
    auto applied = orders_->apply_vendor_update(
        "acme", "vendor",
        R"({"order_id":"pr-1","vendor_order_id":"v-1","status":"completed",
            "report_url":"https://vendor.example/reports/1",
            "attachments":[{"url":"https://vendor.example/1.pdf?sig=old","description":"PDF"}]})",
        "vendor");
    ASSERT_EQ(applied.status, orders::ApplyResult::Status::applied) << applied.message;

    config::TenantSettings tenant;
    tenant.id = "acme";
    tenant.activation_token = config::Secret("activation-token-of-acme");
    config::ProviderSettings settings;
    settings.name = "vendor";
    settings.plugin = "docs";
    tenant.providers.push_back(settings);
    auto built = tenants::build_directory(
        {tenant}, [this](const std::string&, const config::ProviderSettings&) {
          return std::variant<std::shared_ptr<plugins::Provider>, std::string>(provider_);
        });
    ASSERT_TRUE(built.directory);
    tenants_ = std::make_unique<tenants::LiveTenants>(built.directory);

    context_.tenants = tenants_.get();
    context_.orders = orders_.get();
    context_.auth_failures = std::make_shared<AuthFailureLimiter>(AuthFailureLimits{});
    context_.report_links = links_;
  }

  net::Response get(const std::string& token) {
    net::Request request;
    request.method = "GET";
    request.path = "/reports/" + token;
    request.params = {{"token", token}};
    request.remote = "127.0.0.1:5000";
    request.request_id = "test-request";
    return serve_report(context_, request);
  }
  std::string token(const std::string& document, const std::string& order = "pr-1",
                    const std::string& tenant = "acme") {
    return sign_report_token(kKey, {tenant, order, document});
  }
  static std::string header(const net::Response& r, const char* name) {
    return net::find_header(r.headers, name).value_or("");
  }

  std::unique_ptr<store::Store> store_;
  std::unique_ptr<orders::OrderService> orders_;
  std::shared_ptr<DocumentProvider> provider_ = std::make_shared<DocumentProvider>();
  std::shared_ptr<const ReportLinks> links_ = std::make_shared<ReportLinks>("https://t", kKey);
  std::unique_ptr<tenants::LiveTenants> tenants_;
  PartnerRouteContext context_;
};

TEST_F(ReportRoute, RedirectsToTheFreshLinkAndPassesTheStoredOne) {
  provider_->answer.json = R"({"url":"https://vendor.example/1.pdf?sig=new","expires_at_ms":1})";
  net::Response r = get(token("attachment-0"));
  EXPECT_EQ(r.status, 302) << r.body;
  EXPECT_EQ(header(r, "Location"), "https://vendor.example/1.pdf?sig=new");
  EXPECT_EQ(header(r, "Cache-Control"), "no-store");
  const json asked = json::parse(provider_->last_request);
  EXPECT_EQ(asked["document"], "attachment");
  EXPECT_EQ(asked["url"], "https://vendor.example/1.pdf?sig=old");
  EXPECT_EQ(asked["order"]["order_id"], "pr-1");
  EXPECT_EQ(asked["order"]["vendor_order_id"], "v-1");
}

TEST_F(ReportRoute, ServesTheBytesWithTheirContentType) {
  provider_->answer.json = R"({"content_type":"application/pdf","body_base64":"JVBERi0xLjQK"})";
  net::Response r = get(token("report"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/pdf");
  EXPECT_EQ(r.body, "%PDF-1.4\n");
  EXPECT_EQ(json::parse(provider_->last_request)["document"], "report");
}

// The link needs no login and is on the daemon's origin: a document whose type could run script
// (HTML, SVG, XML) is downloaded, never shown, and runs nothing if a browser shows it anyway.
TEST_F(ReportRoute, ADocumentThatCouldRunScriptIsDownloadedNotShown) {
  const std::string script = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==";  // <script>alert(1)</script>
  // "text/plain;x=1, text/html" is HTML to a browser, which takes a list's last type.
  for (const char* type :
       {"text/html; charset=utf-8", "image/svg+xml", "application/xhtml+xml", "text/xml",
        "application/octet-stream", "text/plain;x=1, text/html", "text/plain; x=\"a,text/html\""}) {
    provider_->answer.json = json{{"content_type", type}, {"body_base64", script}}.dump();
    net::Response r = get(token("report"));
    EXPECT_EQ(r.status, 200) << type;
    EXPECT_EQ(header(r, "Content-Disposition"), "attachment") << type;
    EXPECT_EQ(header(r, "Content-Security-Policy"), "sandbox; default-src 'none'") << type;
    EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff") << type;
  }
  // Shown, under our spelling of the type, with the plugin's parameters.
  const std::pair<const char*, const char*> shown[] = {
      {"application/pdf", "application/pdf"},
      {"Image/PNG", "image/png"},
      {"image/jpeg", "image/jpeg"},
      {"TEXT/plain; charset=utf-8", "text/plain; charset=utf-8"},
  };
  for (const auto& [type, sent] : shown) {
    provider_->answer.json = json{{"content_type", type}, {"body_base64", script}}.dump();
    net::Response r = get(token("report"));
    EXPECT_EQ(header(r, "Content-Disposition"), "inline") << type;
    EXPECT_EQ(header(r, "Content-Security-Policy"), "") << type;
    EXPECT_EQ(r.content_type, sent) << type;
  }
}

TEST_F(ReportRoute, WithoutFetchDocumentTheStoredLinkIsServed) {
  provider_->has_fetch_document = false;
  net::Response r = get(token("report"));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(header(r, "Location"), "https://vendor.example/reports/1");
}

TEST_F(ReportRoute, PluginFailuresBecomeClearAnswers) {
  provider_->answer = {CallStatus::not_found, "", "no such pdf", std::nullopt};
  EXPECT_EQ(get(token("attachment-0")).status, 404);
  provider_->answer = {CallStatus::vendor_unavailable, "", "down", std::nullopt};
  net::Response r = get(token("attachment-0"));
  EXPECT_EQ(r.status, 503);
  EXPECT_FALSE(header(r, "Retry-After").empty());
  provider_->answer = {CallStatus::auth, "", "bad key", std::nullopt};
  EXPECT_EQ(get(token("attachment-0")).status, 502);
  // An answer that is neither a usable link nor bytes.
  const std::vector<std::string> bad_answers = {
      json{{"url", "javascript:alert(1)"}}.dump(),
      json{{"url", "https://x/\r\nSet-Cookie: a"}}.dump(),
      json{{"content_type", "application/pdf"}, {"body_base64", "!!"}}.dump(),
      "[]",
  };
  for (const std::string& bad : bad_answers) {
    provider_->answer = {CallStatus::ok, bad, "", std::nullopt};
    EXPECT_EQ(get(token("attachment-0")).status, 502) << bad;
  }
}

TEST_F(ReportRoute, EveryTokenThatNamesNothingGetsTheSame404) {
  const net::Response reference = get("not-a-token");
  EXPECT_EQ(reference.status, 404);
  for (const std::string& t :
       {token("attachment-1"), token("report", "pr-404"), token("report", "pr-1", "beta"),
        sign_report_token("another-key-0123456789abcdef", {"acme", "pr-1", "report"})}) {
    net::Response r = get(t);
    EXPECT_EQ(r.status, 404) << t;
    EXPECT_EQ(r.body, reference.body);
  }
  EXPECT_TRUE(provider_->last_request.empty()) << "the vendor was asked for a token naming nothing";
}

TEST_F(ReportRoute, WithoutAKeyEveryLinkIs404) {
  context_.report_links = nullptr;
  EXPECT_EQ(get(token("report")).status, 404);
}

}  // namespace
}  // namespace ttb::http
