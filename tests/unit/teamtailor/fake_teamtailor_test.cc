// The fakes are test infrastructure other tests trust, so they get tests of their own: the
// Teamtailor fake refuses what Teamtailor refuses, and the sender's requests verify (or fail to
// verify) with core/teamtailor exactly as each option intends.
#include <gtest/gtest.h>

#include <mutex>

#include "fakes/teamtailor/fake_teamtailor.h"
#include "fakes/teamtailor/webhook_sender.h"
#include "net/http_client.h"
#include "net/http_server.h"
#include "teamtailor/provider_key.h"
#include "teamtailor/signature.h"
#include "teamtailor/webhook.h"

namespace ttb::fakes {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

class FakeTeamtailorTest : public ::testing::Test {
 protected:
  net::ClientResponse put(const std::string& id, const Json& body, net::Headers headers = {}) {
    net::ClientRequest request;
    request.method = "PUT";
    request.url = fake_.api_url() + "/partner-results/" + id;
    request.headers = headers.empty() ? net::Headers{{"Authorization", "Bearer " + fake_.api_key()},
                                                     {"X-Api-Version", "20180828"},
                                                     {"Content-Type", "application/vnd.api+json"}}
                                      : headers;
    request.body = body.dump();
    return http_->send(request);
  }
  static Json update(const std::string& id, Json attributes) {
    return {{"data", {{"type", "partner-results"}, {"id", id}, {"attributes", attributes}}}};
  }

  FakeTeamtailor fake_;
  std::shared_ptr<net::HttpClient> http_ = net::make_http_client();
};

TEST_F(FakeTeamtailorTest, AcceptsTheDocumentedExampleAndNormalizesDuration) {
  const Json attributes = Json::parse(R"({"status":"completed","summary":"Passed: 88/100",
    "url":"https://partner.example/reports/abc",
    "assessment":{"score":88,"grade":"might_be_fit","duration":"0:41:05"},
    "details":{"sections":{"algorithms":"92","stl":"81"},"proctoring":"clean"},
    "attachments":[{"url":"https://partner.example/r/abc.pdf","description":"Full report"}],
    "assessment-criteria":[{"id":"cpp-overall","score":88},{"id":"cpp-stl","score":81}]})");
  auto response = put("9e8d", update("9e8d", attributes));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("X-Api-Version").value_or(""), "20180828");
  EXPECT_EQ(Json::parse(response.body)["data"]["attributes"]["assessment"]["duration"], 2465);
  ASSERT_EQ(fake_.writes().size(), 1u);
  EXPECT_EQ(fake_.writes()[0].attributes, attributes);
}

TEST_F(FakeTeamtailorTest, RefusesEachBrokenRuleWith422) {
  const std::vector<Json> bad = {
      Json{{"colour", "red"}},
      Json{{"status", "done"}},
      Json{{"assessment", {{"score", 101}}}},
      Json{{"assessment", {{"score", 50.5}}}},
      Json{{"assessment", {{"grade", "great"}}}},
      Json{{"assessment", {{"points", 1}}}},
      Json{{"details", {{"a", {{"b", {{"c", 1}}}}}}}},
      Json{{"details", "text"}},
      Json{{"attachments", {{{"url", "https://x.example/a"}}}}},
      Json{{"attachments", {{{"url", "https://x.example/a"}, {"description", "d"}, {"size", 1}}}}},
      Json{{"attachments", {{{"url", "ftp://x.example/a"}, {"description", "d"}}}}},
      Json{{"url", "javascript:alert(1)"}},
      Json{{"candidate-id", 1001}},
      Json{{"actions", {{{"buttonText", "Resend"}}}}},
  };
  for (const auto& attributes : bad) {
    auto response = put("r1", update("r1", attributes));
    EXPECT_EQ(response.status, 422) << attributes.dump();
    auto body = Json::parse(response.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << response.body;
    EXPECT_FALSE(body["errors"][0]["detail"].get<std::string>().empty());
  }
  EXPECT_TRUE(fake_.writes().empty());
}

TEST_F(FakeTeamtailorTest, ChecksKeyVersionMediaTypeAndDocument) {
  const Json ok = update("r1", {{"status", "sent"}});
  EXPECT_EQ(put("r1", ok,
                {{"Authorization", "Bearer wrong"},
                 {"X-Api-Version", "20180828"},
                 {"Content-Type", "application/vnd.api+json"}})
                .status,
            401);
  EXPECT_EQ(put("r1", ok,
                {{"Authorization", "Bearer " + fake_.api_key()},
                 {"Content-Type", "application/vnd.api+json"}})
                .status,
            406);
  EXPECT_EQ(put("r1", ok,
                {{"Authorization", "Bearer " + fake_.api_key()},
                 {"X-Api-Version", "20180828"},
                 {"Content-Type", "application/json"}})
                .status,
            415);
  EXPECT_EQ(put("r1", Json{{"attributes", {}}}).status, 400);
  EXPECT_EQ(put("r1", update("r2", {{"status", "sent"}})).status, 409);
  EXPECT_TRUE(fake_.writes().empty());
  EXPECT_EQ(fake_.requests().size(), 5u);
}

TEST_F(FakeTeamtailorTest, MergesWritesIntoTheCurrentResult) {
  ASSERT_EQ(put("r1", update("r1", {{"status", "sent"}, {"summary", "Invited"}})).status, 200);
  ASSERT_EQ(
      put("r1", update("r1", {{"status", "completed"}, {"assessment", {{"score", 70}}}})).status,
      200);
  auto current = fake_.current("r1");
  EXPECT_EQ(current["status"], "completed");
  EXPECT_EQ(current["summary"], "Invited");
  EXPECT_EQ(current["assessment"]["score"], 70);
  EXPECT_EQ(fake_.writes_for("r1").size(), 2u);
  EXPECT_TRUE(fake_.writes_for("r2").empty());
}

TEST_F(FakeTeamtailorTest, UnknownResultIsNotFoundOnceResultsAreRegistered) {
  fake_.register_result("r1");
  EXPECT_EQ(put("r2", update("r2", {{"status", "sent"}})).status, 404);
  EXPECT_EQ(put("r1", update("r1", {{"status", "sent"}})).status, 200);
}

TEST_F(FakeTeamtailorTest, InjectedFaultsAnswerInOrderThenClear) {
  fake_.inject(Fault::rate_limit(3s));
  fake_.inject(Fault::error(503), 2);
  fake_.inject(Fault::slow(20ms));
  const Json ok = update("r1", {{"status", "sent"}});
  auto limited = put("r1", ok);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.header("X-Rate-Limit-Reset").value_or(""), "3");
  EXPECT_EQ(put("r1", ok).status, 503);
  EXPECT_EQ(put("r1", ok).status, 503);
  const auto slow_sent = std::chrono::steady_clock::now();
  EXPECT_EQ(put("r1", ok).status, 200);  // the slow one still answers normally, after its pause
  EXPECT_GE(std::chrono::steady_clock::now() - slow_sent, 20ms);
  EXPECT_EQ(put("r1", ok).status, 200);
  EXPECT_EQ(fake_.writes().size(), 2u);
}

TEST_F(FakeTeamtailorTest, WaitForSeesWritesFromOtherThreads) {
  std::thread writer([&] { put("r9", update("r9", {{"status", "pending"}})); });
  bool seen = fake_.wait_for([](const auto& writes) { return writes.size() == 1; },
                             std::chrono::steady_clock::now() + 10s);
  writer.join();
  EXPECT_TRUE(seen);
  EXPECT_FALSE(fake_.wait_for([](const auto& writes) { return writes.size() == 2; },
                              std::chrono::steady_clock::now() + 50ms));
}

// A loopback receiver standing in for ttbridged: it keeps the last request.
class Receiver {
 public:
  Receiver() {
    auto router = std::make_shared<net::Router>();
    auto keep = [this](net::Request& r) {
      std::lock_guard lock(mutex_);
      last_ = r;
      return net::Response::text(202, "ok");
    };
    router->add("POST", "/webhook", keep);
    router->add("POST", "/actions/{name}", keep);
    router->add("GET", "/config", keep);
    net::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = net::make_http_server(options, router, nullptr);
    server_->start();
  }
  ~Receiver() { server_->stop(1s); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  net::Request last() {
    std::lock_guard lock(mutex_);
    return last_;
  }

 private:
  std::unique_ptr<net::HttpServer> server_;
  std::mutex mutex_;
  net::Request last_;
};

class WebhookSenderTest : public ::testing::Test {
 protected:
  static constexpr const char* kSecret = "webhook-secret";
  static constexpr const char* kApiKey = "partner-api-key";

  teamtailor::SignatureVerdict verdict(const net::Request& r) {
    auto event = teamtailor::parse_webhook(r.body);
    return teamtailor::verify_signature(r.header("Teamtailor-Signature").value_or(""),
                                        event.event ? event.event->event_id : "", kSecret,
                                        std::chrono::system_clock::now(), 300s);
  }
  teamtailor::ProviderKey key(const net::Request& r) {
    return teamtailor::read_provider_key(r.header("Authorization").value_or(""), kApiKey);
  }

  Receiver receiver_;
  WebhookSender sender_{net::make_http_client(), receiver_.url(), kSecret, kApiKey};
};

TEST_F(WebhookSenderTest, SendsASignedAuthorizedParseableWebhook) {
  WebhookParams params;
  params.test = "hackerrank:3";
  auto sent = sender_.send("acme-token", params);
  ASSERT_EQ(sent.response.status, 202) << sent.response.error;
  auto request = receiver_.last();
  EXPECT_EQ(request.path, "/webhook");
  EXPECT_EQ(verdict(request), teamtailor::SignatureVerdict::valid);
  auto k = key(request);
  ASSERT_TRUE(k.ok) << k.error;
  EXPECT_TRUE(k.from_jwt);
  EXPECT_EQ(k.activation_token, "acme-token");
  auto event = teamtailor::parse_webhook(request.body);
  ASSERT_TRUE(event.event) << event.error;
  EXPECT_EQ(event.event->event_id, sent.params.event_id);
  EXPECT_EQ(event.event->partner_result_id, sent.params.partner_result_id);
  EXPECT_EQ(event.event->test_id, "hackerrank:3");
  EXPECT_EQ(event.event->candidate.email, "ada@example.org");
  EXPECT_EQ(event.event->company.uuid, "aB3dE5fG7hJ");
  EXPECT_NE(sent.params.event_id, sent.params.partner_result_id);
}

TEST_F(WebhookSenderTest, EachSignatureModeGivesItsVerdict) {
  using teamtailor::SignatureVerdict;
  const std::pair<SignatureMode, SignatureVerdict> cases[] = {
      {SignatureMode::wrong_secret, SignatureVerdict::mismatch},
      {SignatureMode::stale, SignatureVerdict::stale},
      {SignatureMode::decoy_only, SignatureVerdict::no_v1},
      {SignatureMode::missing, SignatureVerdict::missing},
  };
  for (auto [mode, expected] : cases) {
    SendOptions options;
    options.signature = mode;
    ASSERT_EQ(sender_.send("acme-token", {}, options).response.status, 202);
    EXPECT_EQ(verdict(receiver_.last()), expected) << static_cast<int>(mode);
  }
}

TEST_F(WebhookSenderTest, EachBearerModeGivesItsCredential) {
  const std::pair<BearerMode, bool> cases[] = {
      {BearerMode::bad_jwt, false}, {BearerMode::alg_none, false}, {BearerMode::expired_jwt, false},
      {BearerMode::missing, false}, {BearerMode::legacy, true},
  };
  for (auto [mode, ok] : cases) {
    SendOptions options;
    options.bearer = mode;
    ASSERT_EQ(sender_.send("acme-token", {}, options).response.status, 202);
    auto k = key(receiver_.last());
    EXPECT_EQ(k.ok, ok) << static_cast<int>(mode);
    if (ok) {
      EXPECT_EQ(k.activation_token, "acme-token");
    }
  }
}

TEST_F(WebhookSenderTest, CustomBodyPathAndGet) {
  SendOptions options;
  options.body = "{not json";
  options.path = "/actions/resend";
  options.extra_headers = {{"teamtailor-api-token", "company-key"}};
  WebhookParams params;
  params.event_id = "fixed-event";
  ASSERT_EQ(sender_.send("t", params, options).response.status, 202);
  auto request = receiver_.last();
  EXPECT_EQ(request.path, "/actions/resend");
  EXPECT_EQ(request.body, "{not json");
  EXPECT_EQ(request.header("teamtailor-api-token").value_or(""), "company-key");
  EXPECT_EQ(
      teamtailor::verify_signature(request.header("Teamtailor-Signature").value_or(""),
                                   "fixed-event", kSecret, std::chrono::system_clock::now(), 300s),
      teamtailor::SignatureVerdict::valid);

  ASSERT_EQ(sender_.get("/config?job_id=1&stage_id=2", "acme-token").status, 202);
  request = receiver_.last();
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.query["job_id"], "1");
  EXPECT_EQ(key(request).activation_token, "acme-token");
}

}  // namespace
}  // namespace ttb::fakes
