// Codility through the real ttbridged: the recruiter's Send → invite at (fake) Codility with this
// order's tokened callback URL → `sent` card → Codility's result callback → `completed` card
// with score, summary, report link, PDF and per-task details; a similarity callback after the
// result; plus a redelivered callback, a forged token, an invite whose answer was lost (retried
// without a second invite), and a 429.

#include <gtest/gtest.h>

#include "loopback_stack.h"

namespace ttb {
namespace {

using demo::LoopbackStack;
using fakes::codility::Fault;
using fakes::codility::TaskResult;
using nlohmann::json;
using testing::eventually;

constexpr const char* kTest = "T100";
const std::vector<TaskResult> kTasks = {{"BinaryGap", "cpp", 100, 100},
                                        {"Brackets", "py", 70, 100}};

class CodilityFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    codility().add_test({kTest, "Backend (C++)", false});
    ASSERT_TRUE(stack_.start()) << stack_.engine().log();
  }

  std::string send(const std::string& email = "ada@example.org") {
    fakes::WebhookParams params;
    params.test = std::string("codility:") + kTest;
    params.email = email;
    params.update_url_base = stack_.teamtailor().api_url();
    auto sent = stack_.recruiter().send(LoopbackStack::kActivationToken, params);
    EXPECT_EQ(sent.response.status, 202) << sent.response.body;
    return sent.params.partner_result_id;
  }

  json card(const std::string& id) {
    json current = stack_.teamtailor().current(id);
    return current.is_object() ? current : json::object();
  }
  std::string card_status(const std::string& id) { return card(id).value("status", ""); }
  bool card_reaches(const std::string& id, const std::string& status) {
    return eventually([&] { return card_status(id) == status; });
  }

  // Sends and waits for `sent`; returns {order id, Codility session id}.
  std::pair<std::string, std::string> invited(const std::string& email = "ada@example.org") {
    std::string id = send(email);
    EXPECT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
    auto sessions = codility().session_ids_for(id);
    EXPECT_EQ(sessions.size(), 1u);
    return {id, sessions.empty() ? "" : sessions.front()};
  }

  std::vector<std::string> statuses_written(const std::string& id) {
    std::vector<std::string> out;
    for (const auto& w : stack_.teamtailor().writes_for(id))
      out.push_back(w.attributes.value("status", ""));
    return out;
  }

  int invite_posts() { return codility().requests_to("POST", std::string("/api/tests/") + kTest); }

  fakes::codility::FakeCodility& codility() { return stack_.codility(); }

  LoopbackStack stack_;
};

TEST_F(CodilityFlow, WalksAnOrderFromSendToTheCompletedResult) {
  const std::string id = send();
  ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
  ASSERT_EQ(codility().invitations_created(), 1);
  const std::string session = codility().session_ids_for(id).at(0);

  // The invite registered this order's tokened callback URL on the daemon itself.
  json invite = codility().invite_bodies().front();
  EXPECT_EQ(invite["candidates"][0].value("id", ""), id);
  const std::string url = invite["event_callbacks"][0].value("url", "");
  const std::string prefix = stack_.callback_url("codility") + "/results/" + id + "/";
  EXPECT_EQ(url.rfind(prefix, 0), 0u) << url;
  EXPECT_EQ(url.size(), prefix.size() + 64);

  ASSERT_TRUE(codility().start(session));
  ASSERT_TRUE(codility().evaluate(session, kTasks));
  auto delivery = codility().send_callback(session, "result");
  ASSERT_TRUE(delivery);
  EXPECT_EQ(delivery->status, 200) << delivery->response_body << delivery->error;
  ASSERT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();

  json written = card(id);
  EXPECT_EQ(written["assessment"].value("score", -1), 85) << written.dump();
  EXPECT_EQ(written.value("summary", "").rfind("Test completed with 85% (170/200 points).", 0), 0u)
      << written.dump();
  EXPECT_EQ(written.value("url", ""), codility().session(session)->value("report_link", ""));
  ASSERT_TRUE(written["attachments"].is_array()) << written.dump();
  ASSERT_EQ(written["attachments"].size(), 1u) << written.dump();
  EXPECT_EQ(written["attachments"][0].value("description", ""), "Codility report (PDF)");
  ASSERT_TRUE(written["details"].is_object()) << written.dump();
  EXPECT_TRUE(written["details"].contains("tasks")) << written.dump();
  EXPECT_EQ(statuses_written(id).back(), "completed");
}

TEST_F(CodilityFlow, DuplicateCallbackChangesNothing) {
  auto [id, session] = invited();
  ASSERT_TRUE(codility().evaluate(session, kTasks));
  EXPECT_EQ(codility().send_callback(session, "result")->status, 200);
  ASSERT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();
  EXPECT_EQ(codility().send_callback(session, "result")->status, 200);

  ASSERT_TRUE(eventually([&] { return stack_.engine().daemon().events("callback").size() >= 2; }));
  auto callbacks = stack_.engine().daemon().events("callback");
  EXPECT_NE(callbacks[0].find("\"duplicate\":false"), std::string::npos) << callbacks[0];
  EXPECT_NE(callbacks[1].find("\"duplicate\":true"), std::string::npos) << callbacks[1];
  int completed = 0;
  for (const auto& s : statuses_written(id)) completed += s == "completed";
  EXPECT_EQ(completed, 1);
}

TEST_F(CodilityFlow, SimilarityCallbackAfterTheResultIsAcceptedAndKeepsTheCard) {
  auto [id, session] = invited();
  ASSERT_TRUE(codility().evaluate(session, kTasks));
  EXPECT_EQ(codility().send_callback(session, "result")->status, 200);
  ASSERT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();
  const json completed = card(id);

  // The similarity check finishes later. Its callback is news to the plugin (a new event id), is
  // answered 200 so Codility does not redeliver it, and never takes the completed card back; the
  // engine keeps a completed card as it is (docs/plugins/codility.md, "Known limits").
  ASSERT_TRUE(codility().set_similarity(session, "suspicious"));
  EXPECT_EQ(codility().send_callback(session, "similarity")->status, 200);
  ASSERT_TRUE(eventually([&] { return stack_.engine().daemon().events("callback").size() >= 2; }));
  auto callbacks = stack_.engine().daemon().events("callback");
  EXPECT_NE(callbacks[1].find("\"duplicate\":false"), std::string::npos) << callbacks[1];
  EXPECT_EQ(card_status(id), "completed");
  EXPECT_EQ(card(id)["assessment"], completed["assessment"]);
}

TEST_F(CodilityFlow, ForgedCallbackTokenIsRefusedAndChangesNothing) {
  auto [id, session] = invited();
  auto [other, other_session] = invited("grace@example.org");
  ASSERT_TRUE(codility().evaluate(session, kTasks));
  const auto writes_before = stack_.teamtailor().writes_for(id).size();
  const std::string good = *codility().callback_url(session, "result");
  const std::string body = json{{"event", "result"}, {"session", {{"id", session}}}}.dump();

  std::string forged = good;
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_EQ(codility().post(forged, body).status, 401);
  // The other order's valid token, presented for this order.
  const std::string other_url = *codility().callback_url(other_session, "result");
  const std::string other_token = other_url.substr(other_url.rfind('/') + 1);
  EXPECT_EQ(codility()
                .post(stack_.callback_url("codility") + "/results/" + id + "/" + other_token, body)
                .status,
            401);
  // No token at all, on the host's plain order route.
  EXPECT_EQ(codility().post(stack_.callback_url("codility") + "/orders/" + id, body).status, 401);
  // The other order's URL cannot carry this order's session.
  EXPECT_EQ(codility().post(other_url, body).status, 403);

  EXPECT_EQ(card_status(id), "sent");
  EXPECT_EQ(card_status(other), "sent");
  EXPECT_EQ(stack_.teamtailor().writes_for(id).size(), writes_before);
  for (const auto& line : stack_.engine().daemon().events("callback")) {
    json logged = json::parse(line);
    EXPECT_EQ(logged.value("updates", -1), 0) << line;
  }

  EXPECT_EQ(codility().send_callback(session, "result")->status, 200);
  EXPECT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();
}

TEST_F(CodilityFlow, InviteWhoseAnswerWasLostIsRetriedWithoutASecondInvite) {
  // List the tests first, so that the faults hit the invite job's requests.
  json form = stack_.engine().config_form(LoopbackStack::kActivationToken);
  ASSERT_NE(form.dump().find(std::string("codility:") + kTest), std::string::npos) << form.dump();
  codility().inject(Fault::slow(std::chrono::milliseconds(0)));  // the lookup: a normal answer
  codility().inject(Fault::lose_answer(504));  // the invite lands, its answer is lost

  const std::string id = send();
  ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
  EXPECT_EQ(codility().invitations_created(), 1);
  EXPECT_EQ(codility().session_ids_for(id).size(), 1u);
  EXPECT_EQ(invite_posts(), 1);  // one POST .../invite/; the retry found the session
  for (const auto& s : statuses_written(id)) EXPECT_NE(s, "failed");

  std::vector<json> invite_jobs;
  for (auto& e : stack_.events("job"))
    if (e.value("kind", "") == "invite") invite_jobs.push_back(e);
  ASSERT_GE(invite_jobs.size(), 2u) << stack_.engine().log();
  EXPECT_EQ(invite_jobs.front().value("status", ""), "retry");
  EXPECT_EQ(invite_jobs.back().value("status", ""), "done");
}

TEST_F(CodilityFlow, RateLimitedInviteWaitsForRetryAfterAndIsSentOnce) {
  json form = stack_.engine().config_form(LoopbackStack::kActivationToken);
  ASSERT_NE(form.dump().find(std::string("codility:") + kTest), std::string::npos) << form.dump();
  codility().inject(Fault::rate_limit(1, /*retry_after_header=*/true, /*reset_header=*/false));

  const std::string id = send();
  ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
  EXPECT_EQ(codility().invitations_created(), 1);
  std::vector<json> invite_jobs;
  for (auto& e : stack_.events("job"))
    if (e.value("kind", "") == "invite") invite_jobs.push_back(e);
  ASSERT_EQ(invite_jobs.size(), 2u) << stack_.engine().log();
  EXPECT_NE(invite_jobs[0].value("detail", "").find("rate_limited"), std::string::npos);
  EXPECT_GE(LoopbackStack::log_time_ms(invite_jobs[1]) - LoopbackStack::log_time_ms(invite_jobs[0]),
            900)
      << "retried before Codility's Retry-After (1 s)";
}

}  // namespace
}  // namespace ttb
