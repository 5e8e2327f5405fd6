// TestGorilla through the real ttbridged: a vendor with no webhooks at all. The recruiter's Send
// → invite at (fake) TestGorilla → `sent` card; the candidate starts and completes the
// assessment at TestGorilla and nothing calls the daemon: the engine's poll chain alone finds out
// (`pending`, then `completed` with score, summary, report link and details) and stops polling
// once the order is final. Also: an invite whose answer was lost is retried without a second
// invitation, and a 429 on a poll is waited out.

#include <gtest/gtest.h>

#include "polling_stack.h"

namespace ttb {
namespace {

using demo::PollingStack;
using fakes::testgorilla::Fault;
using fakes::testgorilla::TestResult;
using nlohmann::json;
using testing::eventually;

constexpr const char* kEmail = "ada@example.org";

class TestGorillaFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    assessment_ = stack_.testgorilla().add_assessment("Customer Support");
    ASSERT_TRUE(stack_.start()) << stack_.engine().log();
  }

  std::string send() {
    fakes::WebhookParams params;
    params.test = "testgorilla:" + assessment_;
    params.email = kEmail;
    params.update_url_base = stack_.teamtailor().api_url();
    auto sent = stack_.recruiter().send(PollingStack::kActivationToken, params);
    EXPECT_EQ(sent.response.status, 202) << sent.response.body;
    return sent.params.partner_result_id;
  }

  bool card_reaches(const std::string& id, const std::string& status) {
    return eventually([&] { return stack_.card(id).value("status", "") == status; },
                      std::chrono::seconds(20));
  }

  std::string candidature() {
    return stack_.testgorilla().candidature_for(assessment_, kEmail).value_or("");
  }

  static std::vector<TestResult> results() {
    return {
        TestResult{"Problem solving", 90, "basic", ""},
        TestResult{"Attention to detail", 70, "basic", ""},
        TestResult{"Big 5 (OCEAN)", std::nullopt, "big_5", "2-1-1-2-1_30.0-29.0-33.0-26.0-31.0"}};
  }

  PollingStack stack_;
  std::string assessment_;
};

TEST_F(TestGorillaFlow, PollingAloneWalksAnOrderFromSendToTheCompletedResult) {
  const std::string id = send();
  ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
  ASSERT_EQ(stack_.testgorilla().invitations_created(), 1);
  const std::string cid = candidature();
  ASSERT_FALSE(cid.empty());

  ASSERT_TRUE(stack_.testgorilla().start(cid));
  ASSERT_TRUE(card_reaches(id, "pending")) << stack_.engine().log();

  ASSERT_TRUE(stack_.testgorilla().complete(cid, results()));
  ASSERT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();
  json written = stack_.card(id);
  EXPECT_EQ(written["assessment"].value("score", -1), 80) << written.dump();
  EXPECT_EQ(written.value("summary", ""),
            "Assessment completed: 80% on average over 2 scored test(s).")
      << written.dump();
  EXPECT_EQ(written.value("url", ""), "https://app.testgorilla.com/customer/assessments/" +
                                          assessment_ + "/candidates/" + cid)
      << written.dump();
  ASSERT_TRUE(written["details"].is_object()) << written.dump();
  EXPECT_NE(written["details"].dump().find("Problem solving"), std::string::npos) << written.dump();

  // Nothing but polls told the engine: no vendor ever called the daemon's callback route.
  EXPECT_TRUE(stack_.engine().daemon().events("callback").empty());
  EXPECT_GE(stack_.testgorilla().count_requests("GET", "/assessments/results"), 1);

  // The chain ended with the final answer: no job of the order is left (no poll waits).
  ASSERT_TRUE(eventually([&] {
    json open = stack_.open_jobs(id);
    return open.is_array() && open.empty();
  })) << stack_.open_jobs(id).dump();
}

TEST_F(TestGorillaFlow, AnInviteWhoseAnswerWasLostIsRetriedWithoutASecondInvitation) {
  // TestGorilla creates the candidature, but the daemon sees a 502: the invite job runs again.
  stack_.testgorilla().inject(Fault::lost(502, "/invite_candidate"));
  const std::string id = send();
  ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
  EXPECT_EQ(stack_.testgorilla().invitations_created(), 1);
  EXPECT_EQ(stack_.testgorilla().count_requests("POST", "/invite_candidate"), 1);
  auto order = stack_.engine().order(id);
  ASSERT_TRUE(order);
  EXPECT_EQ(order->vendor_order_id, assessment_ + "/" + candidature());
}

TEST_F(TestGorillaFlow, ARateLimitedPollWaitsForTheResetAndCarriesOn) {
  const std::string id = send();
  ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
  stack_.testgorilla().inject(Fault::rate_limit(1, "/assessments/candidature"), 2);
  ASSERT_TRUE(stack_.testgorilla().complete(candidature(), results()));
  ASSERT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();
  int limited = 0;
  for (const auto& r : stack_.testgorilla().requests()) limited += r.status == 429;
  EXPECT_EQ(limited, 2);
}

}  // namespace
}  // namespace ttb
