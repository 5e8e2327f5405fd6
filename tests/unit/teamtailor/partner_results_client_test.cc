#include "teamtailor/partner_results_client.h"

#include <gtest/gtest.h>

#include <mutex>

#include "fakes/teamtailor/fake_teamtailor.h"
#include "net/http_client.h"
#include "net/http_server.h"

namespace ttb::teamtailor {
namespace {

using namespace std::chrono_literals;
using fakes::FakeTeamtailor;
using fakes::Fault;
using Json = nlohmann::json;

PartnerResultUpdate completed() {
  PartnerResultUpdate u;
  u.status = "completed";
  u.score = 88;
  u.summary = "Passed: 88/100";
  u.url = "https://partner.example/reports/abc";
  u.attachments = {{"https://partner.example/r/abc.pdf", "Full report"}};
  u.details = {{"sections", {{"algorithms", "92"}}}, {"proctoring", "clean"}};
  return u;
}

// Records what the client would send and answers with a canned response.
class RecordingHttpClient : public net::HttpClient {
 public:
  net::ClientResponse answer;
  std::vector<net::ClientRequest> sent;
  net::ClientResponse send(const net::ClientRequest& request) override {
    sent.push_back(request);
    return answer;
  }
};

class ClientAgainstFake : public ::testing::Test {
 protected:
  FakeTeamtailor fake_;
  std::shared_ptr<net::HttpClient> http_ = net::make_http_client();
  PartnerResultsClient client_{http_, fake_.api_url(), fake_.api_key(), 5s};
};

TEST_F(ClientAgainstFake, SuccessfulPutIsRecordedByTheFake) {
  auto outcome = client_.put("9e8d7c6b-5a49", completed());
  ASSERT_EQ(outcome.kind, PushOutcome::ok) << outcome.error;
  EXPECT_EQ(outcome.http_status, 200);
  auto writes = fake_.writes_for("9e8d7c6b-5a49");
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].attributes["status"], "completed");
  EXPECT_EQ(writes[0].attributes["assessment"]["score"], 88);
  EXPECT_EQ(writes[0].attributes["attachments"][0]["description"], "Full report");
  EXPECT_EQ(fake_.current("9e8d7c6b-5a49")["summary"], "Passed: 88/100");

  auto request = fake_.requests().back();
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(net::find_header(request.headers, "X-Api-Version").value_or(""), "20180828");
  EXPECT_EQ(net::find_header(request.headers, "Accept").value_or(""), "application/vnd.api+json");
}

TEST_F(ClientAgainstFake, RateLimitIsRetryableWithTheResetDelay) {
  fake_.inject(Fault::rate_limit(17s));
  auto outcome = client_.put("r1", completed());
  EXPECT_EQ(outcome.kind, PushOutcome::retryable);
  EXPECT_EQ(outcome.http_status, 429);
  ASSERT_TRUE(outcome.retry_after);
  EXPECT_EQ(*outcome.retry_after, 17s);
  EXPECT_TRUE(fake_.writes().empty());
  // The fault was for one request only.
  EXPECT_EQ(client_.put("r1", completed()).kind, PushOutcome::ok);
}

TEST_F(ClientAgainstFake, ServerErrorIsRetryable) {
  fake_.inject(Fault::error(500));
  auto outcome = client_.put("r1", completed());
  EXPECT_EQ(outcome.kind, PushOutcome::retryable);
  EXPECT_EQ(outcome.http_status, 500);
  EXPECT_FALSE(outcome.retry_after);
}

TEST_F(ClientAgainstFake, UnprocessableIsRejectedWithTheDetailText) {
  fake_.inject(Fault::invalid("Status is not included in the list"));
  auto outcome = client_.put("r1", completed());
  EXPECT_EQ(outcome.kind, PushOutcome::rejected);
  EXPECT_EQ(outcome.http_status, 422);
  EXPECT_NE(outcome.error.find("Status is not included in the list"), std::string::npos);
}

TEST_F(ClientAgainstFake, WrongKeyIsRejectedAndTheKeyIsNotInTheError) {
  PartnerResultsClient wrong(http_, fake_.api_url(), "not-the-key");
  auto outcome = wrong.put("r1", completed());
  EXPECT_EQ(outcome.kind, PushOutcome::rejected);
  EXPECT_EQ(outcome.http_status, 401);
  EXPECT_EQ(outcome.error.find("not-the-key"), std::string::npos);
}

TEST_F(ClientAgainstFake, InvalidUpdateIsNeitherSentNorRetryable) {
  PartnerResultUpdate u = completed();
  u.score = 150;
  auto outcome = client_.put("r1", u);
  EXPECT_EQ(outcome.kind, PushOutcome::rejected);
  EXPECT_EQ(outcome.http_status, 0);
  EXPECT_NE(outcome.error.find("score"), std::string::npos);
  EXPECT_TRUE(fake_.requests().empty());
}

TEST_F(ClientAgainstFake, IdWithPathCharactersStaysOneSegment) {
  auto outcome = client_.put("a b?c#d", completed());
  ASSERT_EQ(outcome.kind, PushOutcome::ok) << outcome.error;
  ASSERT_EQ(fake_.writes().size(), 1u);
  EXPECT_EQ(fake_.writes()[0].id, "a b?c#d");
}

TEST(PartnerResultsClient, ConnectionRefusedIsRetryable) {
  // Bind a port, then free it: nothing listens there any more.
  unsigned short port = 0;
  {
    auto router = std::make_shared<net::Router>();
    net::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    auto server = net::make_http_server(options, router, nullptr);
    port = server->port();
  }
  PartnerResultsClient client(net::make_http_client(),
                              "http://127.0.0.1:" + std::to_string(port) + "/partner/v1", "key",
                              2s);
  auto outcome = client.put("r1", completed());
  EXPECT_EQ(outcome.kind, PushOutcome::retryable);
  EXPECT_EQ(outcome.http_status, 0);
  EXPECT_FALSE(outcome.error.empty());
}

TEST(PartnerResultsClient, SendsOnlyToTheConfiguredApiUrl) {
  auto http = std::make_shared<RecordingHttpClient>();
  http->answer.status = 200;
  PartnerResultsClient client(http, "https://api.teamtailor.com/partner/v1/", "key");
  for (const char* id : {"r1", "../../evil", "@evil.example", "x/../../y", "%2e%2e", "..",
                         "https://evil.example/partner-results/r1"}) {
    ASSERT_EQ(client.put(id, completed()).kind, PushOutcome::ok) << id;
  }
  ASSERT_EQ(http->sent.size(), 7u);
  const std::string prefix = "https://api.teamtailor.com/partner/v1/partner-results/";
  for (const auto& request : http->sent) {
    ASSERT_EQ(request.url.rfind(prefix, 0), 0u) << request.url;
    const std::string segment = request.url.substr(prefix.size());
    EXPECT_EQ(segment.find_first_of("/?#@"), std::string::npos) << request.url;
    EXPECT_NE(segment, "..");
    EXPECT_EQ(request.method, "PUT");
    EXPECT_EQ(net::find_header(request.headers, "Authorization").value_or(""), "Bearer key");
    EXPECT_EQ(net::find_header(request.headers, "Content-Type").value_or(""),
              "application/vnd.api+json");
  }
  EXPECT_EQ(http->sent[0].url, prefix + "r1");
  EXPECT_EQ(Json::parse(http->sent[0].body)["data"]["id"], "r1");
}

struct StatusCase {
  int status;
  PushOutcome::Kind kind;
};

TEST(PartnerResultsClient, ClassifiesStatuses) {
  auto http = std::make_shared<RecordingHttpClient>();
  PartnerResultsClient client(http, "https://api.teamtailor.com/partner/v1", "key");
  for (auto [status, kind] :
       {StatusCase{200, PushOutcome::ok}, StatusCase{204, PushOutcome::ok},
        StatusCase{400, PushOutcome::rejected}, StatusCase{401, PushOutcome::rejected},
        StatusCase{404, PushOutcome::rejected}, StatusCase{408, PushOutcome::retryable},
        StatusCase{429, PushOutcome::retryable}, StatusCase{502, PushOutcome::retryable},
        StatusCase{503, PushOutcome::retryable}}) {
    http->answer = {};
    http->answer.status = status;
    EXPECT_EQ(client.put("r1", completed()).kind, kind) << status;
  }
}

TEST(PartnerResultsClient, ReadsRetryAfterWhenNoResetHeader) {
  auto http = std::make_shared<RecordingHttpClient>();
  PartnerResultsClient client(http, "https://api.teamtailor.com/partner/v1", "key");
  http->answer.status = 429;
  http->answer.headers = {{"retry-after", "42"}};
  auto outcome = client.put("r1", completed());
  ASSERT_TRUE(outcome.retry_after);
  EXPECT_EQ(*outcome.retry_after, 42s);

  http->answer.status = 503;
  http->answer.headers = {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}};
  outcome = client.put("r1", completed());
  EXPECT_EQ(outcome.kind, PushOutcome::retryable);
  EXPECT_FALSE(outcome.retry_after);
}

TEST(PartnerResultsClient, AWaitOfZeroSecondsIsASecond) {
  // "0" means the window ends within this second: retried at once, the push would meet the same
  // window and spend its attempts in milliseconds.
  auto http = std::make_shared<RecordingHttpClient>();
  PartnerResultsClient client(http, "https://api.teamtailor.com/partner/v1", "key");
  http->answer.status = 429;
  http->answer.headers = {{"X-Rate-Limit-Reset", "0"}};
  auto outcome = client.put("r1", completed());
  ASSERT_TRUE(outcome.retry_after);
  EXPECT_EQ(*outcome.retry_after, 1s);

  http->answer.status = 503;
  http->answer.headers = {{"Retry-After", "0"}};
  outcome = client.put("r1", completed());
  ASSERT_TRUE(outcome.retry_after);
  EXPECT_EQ(*outcome.retry_after, 1s);
}

TEST(PartnerResultsClient, RedactsTheKeyIfTheServerEchoesIt) {
  auto http = std::make_shared<RecordingHttpClient>();
  PartnerResultsClient client(http, "https://api.teamtailor.com/partner/v1", "sekrit-key");
  http->answer.status = 400;
  http->answer.body = R"({"errors":[{"detail":"bad header Bearer sekrit-key"}]})";
  auto outcome = client.put("r1", completed());
  EXPECT_EQ(outcome.error.find("sekrit-key"), std::string::npos);
  EXPECT_NE(outcome.error.find("[redacted]"), std::string::npos);
}

TEST(PartnerResultsClient, RedactsAKeyThatTheErrorTextWouldCutInHalf) {
  auto http = std::make_shared<RecordingHttpClient>();
  const std::string key = "0123456789abcdef0123456789abcdef";
  PartnerResultsClient client(http, "https://api.teamtailor.com/partner/v1", key);
  http->answer.status = 400;
  // The key straddles the 512-byte limit of the error text.
  http->answer.body = std::string(500, 'x') + key;
  auto outcome = client.put("r1", completed());
  EXPECT_EQ(outcome.error.find(key.substr(0, 8)), std::string::npos) << outcome.error;
  EXPECT_NE(outcome.error.find("[redacted]"), std::string::npos) << outcome.error;
}

TEST(JsonApiErrors, JoinsStringAndObjectDetails) {
  EXPECT_EQ(
      jsonapi_error_text(R"({"errors":[{"detail":"a"},{"detail":{"x":["y"]}},{"title":"t"}]})"),
      R"(a; {"x":["y"]}; t)");
  EXPECT_EQ(jsonapi_error_text("plain failure\n"), "plain failure");
  EXPECT_LE(jsonapi_error_text(std::string(5000, 'x')).size(), 520u);
}

// A detail is dumped, and dump() recurses per level: 150,000 levels overflowed the stack. So deep
// a body is read as text, the way a body that is not JSON is.
TEST(JsonApiErrors, ABodyNestedTooDeepIsShownAsTextNotWalked) {
  const std::string deep =
      R"({"errors":[{"detail":)" + std::string(150'000, '[') + std::string(150'000, ']') + "}]}";
  const std::string text = jsonapi_error_text(deep);
  EXPECT_EQ(text.rfind(R"({"errors":[{"detail":[[[)", 0), 0u) << text.substr(0, 80);
  EXPECT_LE(text.size(), 520u);
  EXPECT_EQ(jsonapi_error_text(R"({"errors":[{"detail":{"a":{"b":["c"]}}}]})"),
            R"({"a":{"b":["c"]}})");
}

}  // namespace
}  // namespace ttb::teamtailor
