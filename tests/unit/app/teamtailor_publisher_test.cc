// The publisher's outcomes as the job runner reads them: which of Teamtailor's failures are
// retried, and which of them count as no answer at all, the kind that opens the runner's
// Teamtailor breaker. Against the fake Teamtailor on loopback.

#include "app/teamtailor_publisher.h"

#include <gtest/gtest.h>

#include "config/settings.h"
#include "fakes/teamtailor/fake_teamtailor.h"
#include "net/http_client.h"

namespace ttb::app {
namespace {

using namespace std::chrono_literals;
using fakes::Fault;
using Kind = jobs::PublishOutcome::Kind;

// A publisher whose default connection is at `api_url`.
TeamtailorPublisher publisher_at(const std::string& api_url, const std::string& key) {
  std::map<std::string, teamtailor::PartnerResultsClient> clients;
  clients.emplace(config::kDefaultConnection,
                  teamtailor::PartnerResultsClient(net::make_http_client(), api_url, key, 5s));
  return TeamtailorPublisher(std::move(clients), [](const std::string&) { return ""; });
}

jobs::PublishOutcome publish_completed(TeamtailorPublisher& publisher) {
  store::OrderRecord order;
  order.id = "9e8d7c6b-5a49";
  order.tenant = "acme";
  orders::ResultView result;
  result.status = "completed";
  result.score = 88;
  return publisher.publish(order, result);
}

class PublisherAgainstFake : public ::testing::Test {
 protected:
  jobs::PublishOutcome publish() { return publish_completed(publisher_); }

  fakes::FakeTeamtailor fake_;
  TeamtailorPublisher publisher_ = publisher_at(fake_.api_url(), fake_.api_key());
};

TEST_F(PublisherAgainstFake, AWrittenResultIsOk) {
  const auto outcome = publish();
  EXPECT_EQ(outcome.kind, Kind::ok) << outcome.error;
  EXPECT_TRUE(outcome.answered);
  EXPECT_EQ(fake_.writes_for("9e8d7c6b-5a49").size(), 1u);
}

TEST_F(PublisherAgainstFake, RateLimitedIsRetriedAtItsResetAndIsAnAnswer) {
  fake_.inject(Fault::rate_limit(7s));
  const auto outcome = publish();
  EXPECT_EQ(outcome.kind, Kind::retryable);
  EXPECT_TRUE(outcome.answered) << "Teamtailor is there, only busy";
  ASSERT_TRUE(outcome.retry_after);
  EXPECT_EQ(*outcome.retry_after, 7s);
}

TEST_F(PublisherAgainstFake, ServerErrorsAndRequestTimeoutsAreRetriedAsNoAnswer) {
  for (int status : {500, 502, 503, 408}) {
    fake_.inject(Fault::error(status));
    const auto outcome = publish();
    EXPECT_EQ(outcome.kind, Kind::retryable) << status;
    EXPECT_FALSE(outcome.answered) << status;
    EXPECT_NE(outcome.error.find(std::to_string(status)), std::string::npos) << outcome.error;
  }
}

TEST_F(PublisherAgainstFake, ARefusedResultIsADeadLetterAndAnAnswer) {
  fake_.inject(Fault::invalid("status is not allowed"));
  const auto outcome = publish();
  EXPECT_EQ(outcome.kind, Kind::rejected);
  EXPECT_TRUE(outcome.answered);
}

TEST(PublisherWithoutTeamtailor, NoHttpAnswerIsRetriedAsNoAnswer) {
  std::string api_url;
  std::string key;
  {
    fakes::FakeTeamtailor gone;  // its port is closed once it is destroyed
    api_url = gone.api_url();
    key = gone.api_key();
  }
  auto publisher = publisher_at(api_url, key);
  const auto outcome = publish_completed(publisher);
  EXPECT_EQ(outcome.kind, Kind::retryable) << outcome.error;
  EXPECT_FALSE(outcome.answered);
}

}  // namespace
}  // namespace ttb::app
