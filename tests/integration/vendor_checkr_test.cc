// Checkr through the real ttbridged and the real plugin: the recruiter's Send → invitation at
// (fake) Checkr → `sent` card → Checkr's signed webhooks → `pending`, then `completed` with the
// mapped summary, screenings and PDF; plus redelivered, out-of-order and forged webhooks, and a 429
// on the invitation that the invite job waits out.

#include <algorithm>

#include <gtest/gtest.h>

#include "fakes/checkr/webhook_sender.h"
#include "loopback_stack.h"

namespace ttb {
namespace {

using demo::LoopbackStack;
using fakes::checkr::Signing;
using nlohmann::json;
using testing::eventually;

class CheckrFlow : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(stack_.start()) << stack_.engine().log(); }

  // The recruiter clicks Send for `package`; returns the partner-result (= order) id.
  std::string send(const std::string& package = "basic_criminal") {
    fakes::WebhookParams params;
    params.test = "checkr:" + package;
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

  std::string the_invitation() {
    auto ids = checkr().invitation_ids();
    EXPECT_EQ(ids.size(), 1u);
    return ids.empty() ? std::string() : ids.front();
  }

  fakes::checkr::DeliveryResult deliver(const json& event, Signing signing = Signing::valid) {
    return webhooks_.deliver(stack_.callback_url("checkr"), event, signing);
  }

  // Sends, waits for `sent`, lets the candidate finish the form and completes the report
  // (clear) at Checkr without telling the engine yet; returns {order id, report id}.
  std::pair<std::string, std::string> order_with_complete_report() {
    std::string id = send();
    EXPECT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
    std::string report = checkr().complete_invitation(the_invitation());
    fakes::checkr::ReportChange change;
    change.status = "complete";
    change.result = "clear";
    EXPECT_TRUE(checkr().update_report(report, change));
    return {id, report};
  }

  std::vector<std::string> statuses_written(const std::string& id) {
    std::vector<std::string> out;
    for (const auto& w : stack_.teamtailor().writes_for(id)) {
      out.push_back(w.attributes.value("status", ""));
    }
    return out;
  }

  fakes::checkr::FakeCheckr& checkr() { return stack_.checkr(); }

  LoopbackStack stack_;
  fakes::checkr::WebhookSender webhooks_{stack_.checkr().api_key()};
};

TEST_F(CheckrFlow, WalksAnOrderFromSendToTheCompletedResult) {
  const std::string id = send();

  ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
  ASSERT_EQ(checkr().invitations_created(), 1);
  const std::string invitation = the_invitation();
  auto inv = checkr().invitation(invitation);
  ASSERT_TRUE(inv);
  EXPECT_EQ((*inv)["package"], "basic_criminal");
  auto candidate = checkr().candidate((*inv)["candidate_id"].get<std::string>());
  ASSERT_TRUE(candidate);
  EXPECT_EQ((*candidate)["custom_id"], id);  // our order id, so reports find their way back
  EXPECT_EQ((*candidate)["email"], "ada@example.org");
  json sent = card(id);
  EXPECT_NE(sent.value("summary", "").find("invitation sent"), std::string::npos) << sent.dump();

  // The candidate completes Checkr's form: Checkr creates the report and calls the webhook.
  const std::string report = checkr().complete_invitation(invitation);
  ASSERT_FALSE(report.empty());
  auto answer = deliver(*checkr().invitation_event("invitation.completed", invitation));
  EXPECT_EQ(answer.status, 200) << answer.body;
  ASSERT_TRUE(card_reaches(id, "pending")) << stack_.engine().log();

  // Checkr finishes the report.
  fakes::checkr::ReportChange change;
  change.status = "complete";
  change.result = "clear";
  ASSERT_TRUE(checkr().update_report(report, change));
  answer = deliver(*checkr().report_event("report.completed", report));
  EXPECT_EQ(answer.status, 200) << answer.body;
  ASSERT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();

  json written = card(id);
  EXPECT_EQ(written.value("summary", ""), "complete / clear / assessment=null / adjudication=null")
      << written.dump();
  // No score unless the provider asks for one; the grade comes from the result (clear).
  EXPECT_EQ(written.value("assessment", json()), json({{"grade", "top_fit"}})) << written.dump();
  EXPECT_EQ(written.value("url", ""), "https://dashboard.checkr.com/reports/" + report);
  ASSERT_TRUE(written["details"].is_object()) << written.dump();
  EXPECT_EQ(written["details"].value("ssn_trace", ""), "complete/clear") << written.dump();
  ASSERT_TRUE(written["attachments"].is_array()) << written.dump();
  ASSERT_EQ(written["attachments"].size(), 1u) << written.dump();
  EXPECT_NE(written["attachments"][0].value("description", "").find("Checkr report (PDF)"),
            std::string::npos);
  EXPECT_EQ(statuses_written(id).back(), "completed");
}

TEST_F(CheckrFlow, RedeliveredWebhookChangesNothing) {
  auto [id, report] = order_with_complete_report();
  const json event = *checkr().report_event("report.completed", report);

  auto answers = webhooks_.deliver_repeatedly(stack_.callback_url("checkr"), event, 2);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0].status, 200);
  EXPECT_EQ(answers[1].status, 200) << "a redelivery is acknowledged like the first one";
  ASSERT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();

  // The engine saw the event id before: the second delivery applied nothing.
  ASSERT_TRUE(eventually([&] { return stack_.engine().daemon().events("callback").size() >= 2; }));
  auto callbacks = stack_.engine().daemon().events("callback");
  EXPECT_NE(callbacks[0].find("\"duplicate\":false"), std::string::npos) << callbacks[0];
  EXPECT_NE(callbacks[1].find("\"duplicate\":true"), std::string::npos) << callbacks[1];
  auto completed_writes = [&, order_id = id] {  // clang 14 cannot capture a structured binding
    int n = 0;
    for (const auto& s : statuses_written(order_id)) n += s == "completed";
    return n;
  };
  EXPECT_EQ(completed_writes(), 1);
}

TEST_F(CheckrFlow, OutOfOrderDeliveriesEndInTheFinalStateAndNeverGoBack) {
  auto [id, report] = order_with_complete_report();
  const std::string invitation = the_invitation();
  // Checkr sent invitation.completed, then report.completed; they arrive the other way round.
  std::vector<json> events = {*checkr().invitation_event("invitation.completed", invitation),
                              *checkr().report_event("report.completed", report)};
  for (const auto& answer : webhooks_.deliver_out_of_order(stack_.callback_url("checkr"), events)) {
    EXPECT_EQ(answer.status, 200) << answer.body;
  }
  ASSERT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();

  // Later the candidate disputes the report (Checkr: pending again); the card stays completed.
  fakes::checkr::ReportChange dispute;
  dispute.status = "dispute";
  ASSERT_TRUE(checkr().update_report(report, dispute));
  EXPECT_EQ(deliver(*checkr().report_event("report.disputed", report)).status, 200);
  ASSERT_TRUE(eventually([&] { return stack_.engine().daemon().events("callback").size() >= 3; }));

  auto statuses = statuses_written(id);
  auto first_completed = std::find(statuses.begin(), statuses.end(), "completed");
  ASSERT_NE(first_completed, statuses.end());
  for (auto it = first_completed; it != statuses.end(); ++it) EXPECT_EQ(*it, "completed");
  EXPECT_EQ(card_status(id), "completed");
}

// An event about an invitation the engine never made (another system's, or an order purged) is
// acknowledged as the plugin answers and changes nothing, and the log names it: an operator can
// see a vendor reporting ids the store does not know.
TEST_F(CheckrFlow, AnEventForAnInvitationTheEngineDoesNotKnowIsAcknowledgedAndLogged) {
  const std::string id = send();
  ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
  const json event = {{"id", "evt_not_ours_1"},
                      {"object", "event"},
                      {"type", "invitation.deleted"},
                      {"created_at", "2026-11-29T10:00:00Z"},
                      {"data", {{"object", {{"id", "inv_not_ours"}, {"object", "invitation"}}}}}};
  auto answer = deliver(event);
  EXPECT_EQ(answer.status, 200) << answer.body;
  const std::string log = stack_.engine().log();
  const auto line = log.find("callback_update_not_applied");
  ASSERT_NE(line, std::string::npos) << log;
  const std::string said = log.substr(line, log.find('\n', line) - line);
  EXPECT_NE(said.find("inv_not_ours"), std::string::npos) << said;
  EXPECT_NE(said.find("evt_not_ours_1"), std::string::npos) << said;
  EXPECT_EQ(statuses_written(id).back(), "sent");
}

TEST_F(CheckrFlow, ForgedSignaturesAreRefusedAndChangeNothing) {
  auto [id, report] = order_with_complete_report();
  const json event = *checkr().report_event("report.completed", report);
  const auto writes_before = stack_.teamtailor().writes_for(id).size();

  for (Signing bad :
       {Signing::wrong_key, Signing::tampered, Signing::missing, Signing::placeholder}) {
    auto answer = deliver(event, bad);
    EXPECT_EQ(answer.status, 401) << "signing mode " << static_cast<int>(bad) << ": "
                                  << answer.body;
  }
  EXPECT_EQ(card_status(id), "sent");
  EXPECT_EQ(stack_.teamtailor().writes_for(id).size(), writes_before);
  // The plugin refused each one before anything was parsed: 401, no update applied.
  for (const auto& line : stack_.engine().daemon().events("callback")) {
    json logged = json::parse(line);
    EXPECT_EQ(logged.value("status", 0), 401) << line;
    EXPECT_EQ(logged.value("updates", -1), 0) << line;
  }

  // The forged deliveries did not burn the event id: the genuine one still completes the order.
  EXPECT_EQ(deliver(event).status, 200);
  EXPECT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();
}

TEST_F(CheckrFlow, RateLimitedInvitationIsRetriedAfterTheResetAndSentOnce) {
  fakes::checkr::Fault limit;
  limit.method = "POST";
  limit.path_prefix = "/invitations";
  limit.status = 429;
  limit.count = 1;
  checkr().inject(limit);

  const std::string id = send();
  ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
  EXPECT_EQ(checkr().invitations_created(), 1);
  EXPECT_EQ(checkr().invitation_ids().size(), 1u);

  std::vector<int> invitation_answers;
  for (const auto& r : checkr().requests()) {
    if (r.method == "POST" && r.path == "/v1/invitations") invitation_answers.push_back(r.status);
  }
  ASSERT_GE(invitation_answers.size(), 2u);
  EXPECT_EQ(invitation_answers.front(), 429);
  EXPECT_EQ(invitation_answers.back() / 100, 2);
  // The job was put back (not failed) and no failure reached the recruiter's card.
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
