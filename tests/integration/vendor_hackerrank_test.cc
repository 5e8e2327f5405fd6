// HackerRank through the real ttbridged and the real plugin: the recruiter's Send → invite at
// (fake) HackerRank with this order's test_result_url and bearer token → `sent` card → HackerRank's
// result webhooks → `pending`, then `completed` with score, summary, report link, PDF and sections;
// plus redelivered, stale (out-of-order) and unauthenticated webhooks, and a 429 on the invite that
// the invite job waits out.

#include <algorithm>

#include <gtest/gtest.h>

#include "loopback_stack.h"

namespace ttb {
namespace {

using demo::LoopbackStack;
using fakes::hackerrank::WebhookAuth;
using nlohmann::json;
using testing::eventually;

constexpr const char* kTest = "4711";
constexpr const char* kEmail = "ada@example.org";

class HackerRankFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    hackerrank().add_test({kTest, "C++ Algorithms", 90});
    ASSERT_TRUE(stack_.start()) << stack_.engine().log();
  }

  std::string send() {
    fakes::WebhookParams params;
    params.test = std::string("hackerrank:") + kTest;
    params.email = kEmail;
    params.update_url_base = stack_.teamtailor().api_url();
    auto sent = stack_.recruiter().send(LoopbackStack::kActivationToken, params);
    EXPECT_EQ(sent.response.status, 202) << sent.response.body;
    return sent.params.partner_result_id;
  }

  json card(const std::string& id) {  // {} before the first write
    json current = stack_.teamtailor().current(id);
    return current.is_object() ? current : json::object();
  }
  std::string card_status(const std::string& id) { return card(id).value("status", ""); }
  bool card_reaches(const std::string& id, const std::string& status) {
    return eventually([&] { return card_status(id) == status; });
  }

  // Sends and waits for `sent`; returns {order id, HackerRank candidate id}.
  std::pair<std::string, std::string> invited() {
    std::string id = send();
    EXPECT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
    auto candidate = hackerrank().candidate_id_for(kTest, kEmail);
    EXPECT_TRUE(candidate);
    return {id, candidate.value_or("")};
  }

  static fakes::hackerrank::Outcome outcome(double percentage) {
    fakes::hackerrank::Outcome o;
    o.percentage_score = percentage;
    o.questions = {{"Two sums", 40, 50, "Algorithms", "code"},
                   {"LRU cache", 45, 50, "Data structures", "code"}};
    return o;
  }

  std::vector<std::string> statuses_written(const std::string& id) {
    std::vector<std::string> out;
    for (const auto& w : stack_.teamtailor().writes_for(id)) {
      out.push_back(w.attributes.value("status", ""));
    }
    return out;
  }

  fakes::hackerrank::FakeHackerRank& hackerrank() { return stack_.hackerrank(); }

  LoopbackStack stack_;
};

TEST_F(HackerRankFlow, WalksAnOrderFromSendToTheCompletedResult) {
  const std::string id = send();
  ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
  ASSERT_EQ(hackerrank().invitations_created(), 1);

  // The invite names this order's callback URL on the daemon itself, with a per-order token.
  json invite = hackerrank().invite_bodies().front();
  EXPECT_EQ(invite.value("test_result_url", ""),
            stack_.callback_url("hackerrank") + "/orders/" + id);
  EXPECT_EQ(invite["webhook_authentication"].value("type", ""), "bearer_token");
  EXPECT_EQ(invite.value("send_email", false), true);
  auto candidate = hackerrank().candidate_id_for(kTest, kEmail);
  ASSERT_TRUE(candidate);

  ASSERT_TRUE(hackerrank().start_attempt(*candidate));
  auto delivery = hackerrank().send_webhook(*candidate);
  EXPECT_EQ(delivery.status, 200) << delivery.response_body << delivery.error;
  ASSERT_TRUE(card_reaches(id, "pending")) << stack_.engine().log();

  ASSERT_TRUE(hackerrank().finish(*candidate, outcome(85)));
  delivery = hackerrank().send_webhook(*candidate);
  EXPECT_EQ(delivery.status, 200) << delivery.response_body << delivery.error;
  ASSERT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();

  json written = card(id);
  EXPECT_EQ(written["assessment"].value("score", -1), 85) << written.dump();
  EXPECT_EQ(written.value("summary", "").rfind("Test completed with 85%.", 0), 0u)
      << written.dump();
  auto record = hackerrank().candidate(*candidate);
  ASSERT_TRUE(record);
  EXPECT_EQ(written.value("url", ""), (*record).value("authenticated_report_url", ""));
  ASSERT_TRUE(written["attachments"].is_array()) << written.dump();
  ASSERT_EQ(written["attachments"].size(), 1u) << written.dump();
  EXPECT_EQ(written["attachments"][0].value("description", ""), "HackerRank report (PDF)");
  ASSERT_TRUE(written["details"].is_object()) << written.dump();
  EXPECT_TRUE(written["details"].contains("sections") || written["details"].contains("questions"))
      << written.dump();
  EXPECT_EQ(statuses_written(id).back(), "completed");
}

TEST_F(HackerRankFlow, RedeliveredWebhookChangesNothing) {
  auto [id, candidate] = invited();
  ASSERT_TRUE(hackerrank().finish(candidate, outcome(70)));

  EXPECT_EQ(hackerrank().send_webhook(candidate).status, 200);
  ASSERT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();
  EXPECT_EQ(hackerrank().send_webhook(candidate).status, 200);

  ASSERT_TRUE(eventually([&] { return stack_.engine().daemon().events("callback").size() >= 2; }));
  auto callbacks = stack_.engine().daemon().events("callback");
  EXPECT_NE(callbacks[0].find("\"duplicate\":false"), std::string::npos) << callbacks[0];
  EXPECT_NE(callbacks[1].find("\"duplicate\":true"), std::string::npos) << callbacks[1];
  int completed = 0;
  for (const auto& s : statuses_written(id)) completed += s == "completed";
  EXPECT_EQ(completed, 1);
}

TEST_F(HackerRankFlow, StaleDeliveryAfterTheResultNeverTakesTheCardBack) {
  auto [id, candidate] = invited();
  ASSERT_TRUE(hackerrank().start_attempt(candidate));
  const std::string started_snapshot = hackerrank().candidate(candidate)->dump();
  ASSERT_TRUE(hackerrank().finish(candidate, outcome(90)));

  // The final result arrives first, then the older "attempt started" delivery.
  EXPECT_EQ(hackerrank().send_webhook(candidate).status, 200);
  ASSERT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();
  EXPECT_EQ(hackerrank().send_webhook_body(candidate, started_snapshot).status, 200);
  ASSERT_TRUE(eventually([&] { return stack_.engine().daemon().events("callback").size() >= 2; }));

  auto statuses = statuses_written(id);
  auto first_completed = std::find(statuses.begin(), statuses.end(), "completed");
  ASSERT_NE(first_completed, statuses.end());
  for (auto it = first_completed; it != statuses.end(); ++it) EXPECT_EQ(*it, "completed");
  EXPECT_EQ(card_status(id), "completed");
  EXPECT_EQ(card(id)["assessment"].value("score", -1), 90);
}

TEST_F(HackerRankFlow, WrongOrMissingTokenIsRefusedAndChangesNothing) {
  auto [id, candidate] = invited();
  ASSERT_TRUE(hackerrank().finish(candidate, outcome(60)));
  const auto writes_before = stack_.teamtailor().writes_for(id).size();

  EXPECT_EQ(hackerrank().send_webhook(candidate, WebhookAuth::wrong).status, 401);
  EXPECT_EQ(hackerrank().send_webhook(candidate, WebhookAuth::missing).status, 401);
  EXPECT_EQ(card_status(id), "sent");
  EXPECT_EQ(stack_.teamtailor().writes_for(id).size(), writes_before);
  // The plugin refused each one before anything was parsed: 401, no update applied.
  for (const auto& line : stack_.engine().daemon().events("callback")) {
    json logged = json::parse(line);
    EXPECT_EQ(logged.value("status", 0), 401) << line;
    EXPECT_EQ(logged.value("updates", -1), 0) << line;
  }

  EXPECT_EQ(hackerrank().send_webhook(candidate).status, 200);
  EXPECT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();
}

TEST_F(HackerRankFlow, AnotherOrdersTokenCannotTouchThisOrder) {
  auto [first, first_candidate] = invited();
  fakes::WebhookParams params;
  params.test = std::string("hackerrank:") + kTest;
  params.email = "grace@example.org";
  params.update_url_base = stack_.teamtailor().api_url();
  const std::string second =
      stack_.recruiter().send(LoopbackStack::kActivationToken, params).params.partner_result_id;
  ASSERT_TRUE(card_reaches(second, "sent")) << stack_.engine().log();
  auto second_candidate = hackerrank().candidate_id_for(kTest, "grace@example.org");
  ASSERT_TRUE(second_candidate);
  ASSERT_TRUE(hackerrank().finish(*second_candidate, outcome(99)));

  // The first order's valid token, presented on the second order's callback URL.
  auto first_token = hackerrank().webhook_token(first_candidate);
  ASSERT_TRUE(first_token);
  net::ClientRequest forged;
  forged.method = "POST";
  forged.url = stack_.callback_url("hackerrank") + "/orders/" + second;
  forged.headers = {{"Authorization", "Bearer " + *first_token},
                    {"Content-Type", "application/json"}};
  forged.body = hackerrank().candidate(*second_candidate)->dump();
  EXPECT_EQ(stack_.engine().http().send(forged).status, 401);
  EXPECT_EQ(card_status(second), "sent");
  EXPECT_EQ(card_status(first), "sent");
}

TEST_F(HackerRankFlow, RateLimitedInviteIsRetriedAfterTheResetAndSentOnce) {
  // Fetch the test list first, so that the fault hits the invite and not the listing.
  json form = stack_.engine().config_form(LoopbackStack::kActivationToken);
  ASSERT_NE(form.dump().find(std::string("hackerrank:") + kTest), std::string::npos) << form.dump();
  hackerrank().inject(fakes::hackerrank::Fault::rate_limit(1), 1);

  const std::string id = send();
  ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
  EXPECT_EQ(hackerrank().invitations_created(), 1);

  std::vector<int> invite_answers;
  for (const auto& r : hackerrank().requests()) {
    if (r.method == "POST" && r.path.ends_with("/candidates")) invite_answers.push_back(r.status);
  }
  ASSERT_EQ(invite_answers.size(), 2u);
  EXPECT_EQ(invite_answers[0], 429);
  EXPECT_EQ(invite_answers[1] / 100, 2);
  for (const auto& s : statuses_written(id)) EXPECT_NE(s, "failed");

  // The invite job was put back with the vendor's wait, and its next attempt honoured it.
  std::vector<json> invite_jobs;
  for (auto& e : stack_.events("job")) {
    if (e.value("kind", "") == "invite") invite_jobs.push_back(e);
  }
  ASSERT_EQ(invite_jobs.size(), 2u) << stack_.engine().log();
  EXPECT_EQ(invite_jobs[0].value("status", ""), "retry");
  EXPECT_NE(invite_jobs[0].value("detail", "").find("rate_limited"), std::string::npos);
  EXPECT_EQ(invite_jobs[1].value("status", ""), "done");
  EXPECT_GE(LoopbackStack::log_time_ms(invite_jobs[1]) - LoopbackStack::log_time_ms(invite_jobs[0]),
            900)
      << "retried before the vendor's reset (1 s)";
}

}  // namespace
}  // namespace ttb
