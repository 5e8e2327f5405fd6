// Amended results through the real ttbridged and the real plugins: a vendor's later change to a
// final result (a HackerRank re-score, a PDF rendered late, a Checkr adjudication or dispute)
// writes the card again with an `amended` timeline line, while the status stays final; an older
// Checkr event delivered after a newer one is ignored, and so is a `pending` after `completed`.

#include <functional>

#include <gtest/gtest.h>

#include "fakes/checkr/webhook_sender.h"
#include "loopback_stack.h"

namespace ttb {
namespace {

using demo::LoopbackStack;
using nlohmann::json;
using testing::eventually;

class AmendedResult : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.hackerrank().add_test({"4711", "C++ Algorithms", 90});
    ASSERT_TRUE(stack_.start()) << stack_.engine().log();
  }

  std::string send(const std::string& test) {
    fakes::WebhookParams params;
    params.test = test;
    params.email = "ada@example.org";
    params.update_url_base = stack_.teamtailor().api_url();
    auto sent = stack_.recruiter().send(LoopbackStack::kActivationToken, params);
    EXPECT_EQ(sent.response.status, 202) << sent.response.body;
    return sent.params.partner_result_id;
  }

  json card(const std::string& id) {  // {} before the first write
    json current = stack_.teamtailor().current(id);
    return current.is_object() ? current : json::object();
  }
  bool card_shows(const std::string& id, const std::function<bool(const json&)>& condition) {
    return eventually([&] { return condition(card(id)); });
  }
  static int score_of(const json& c) {
    auto a = c.find("assessment");
    return a != c.end() && a->is_object() ? a->value("score", -1) : -1;
  }
  static std::size_t attachments_of(const json& c) {
    auto a = c.find("attachments");
    return a != c.end() && a->is_array() ? a->size() : 0;
  }
  bool card_reaches(const std::string& id, const std::string& status) {
    return card_shows(id, [&](const json& c) { return c.value("status", "") == status; });
  }

  // The order's timeline lines with this event, once at least `count` are there.
  std::vector<store::TimelineEntry> timeline_lines(const std::string& id, const std::string& event,
                                                   std::size_t count = 1) {
    std::vector<store::TimelineEntry> found;
    eventually([&] {
      found.clear();
      for (auto& line : stack_.engine().timeline(id)) {
        if (line.event == event) found.push_back(line);
      }
      return found.size() >= count;
    });
    return found;
  }

  std::vector<std::string> statuses_written(const std::string& id) {
    std::vector<std::string> out;
    for (const auto& w : stack_.teamtailor().writes_for(id)) {
      out.push_back(w.attributes.value("status", ""));
    }
    return out;
  }

  static fakes::hackerrank::Outcome outcome(double percentage) {
    fakes::hackerrank::Outcome o;
    o.percentage_score = percentage;
    return o;
  }

  // A HackerRank order whose candidate finished; returns {order id, candidate id}.
  std::pair<std::string, std::string> hackerrank_order() {
    const std::string id = send("hackerrank:4711");
    EXPECT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
    auto candidate = stack_.hackerrank().candidate_id_for("4711", "ada@example.org");
    EXPECT_TRUE(candidate);
    return {id, candidate.value_or("")};
  }

  // A Checkr order whose report Checkr completed (consider) without telling the engine yet.
  std::pair<std::string, std::string> checkr_order_with_complete_report() {
    const std::string id = send("checkr:basic_criminal");
    EXPECT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
    auto invitations = stack_.checkr().invitation_ids();
    EXPECT_EQ(invitations.size(), 1u);
    const std::string report = stack_.checkr().complete_invitation(invitations.at(0));
    fakes::checkr::ReportChange change;
    change.status = "complete";
    change.result = "consider";
    EXPECT_TRUE(stack_.checkr().update_report(report, change));
    return {id, report};
  }
  fakes::checkr::DeliveryResult deliver(const json& event) {
    return webhooks_.deliver(stack_.callback_url("checkr"), event);
  }

  LoopbackStack stack_;
  fakes::checkr::WebhookSender webhooks_{stack_.checkr().api_key()};
};

TEST_F(AmendedResult, AReScoreAfterCompletionUpdatesTheCardAndTheTimeline) {
  auto [id, candidate] = hackerrank_order();
  stack_.hackerrank().set_auto_webhooks(true);  // HackerRank posts the report, then the update
  ASSERT_TRUE(stack_.hackerrank().finish(candidate, outcome(71)));
  ASSERT_TRUE(card_shows(id, [](const json& c) {
    return c.value("status", "") == "completed" && score_of(c) == 71;
  })) << stack_.engine().log();
  const auto before = stack_.engine().order(id);
  ASSERT_TRUE(before);

  ASSERT_TRUE(stack_.hackerrank().update_score(candidate, 84));  // re-scored by HackerRank
  ASSERT_TRUE(card_shows(id, [](const json& c) { return score_of(c) == 84; }))
      << stack_.engine().log();
  json amended = card(id);
  EXPECT_EQ(amended.value("status", ""), "completed");
  EXPECT_EQ(amended.value("summary", "").rfind("Test completed with 84%.", 0), 0u)
      << amended.dump();
  auto lines = timeline_lines(id, "amended");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].detail.rfind("amended: score 71 → 84, summary", 0), 0u) << lines[0].detail;
  EXPECT_NE(lines[0].detail.find("re-scored by the vendor"), std::string::npos) << lines[0].detail;
  const auto after = stack_.engine().order(id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, "completed");
  EXPECT_EQ(after->result_version, before->result_version + 1);
  ASSERT_TRUE(after->applied_revision && before->applied_revision);
  EXPECT_GT(*after->applied_revision, *before->applied_revision);
  for (const auto& s : statuses_written(id)) EXPECT_NE(s, "pending") << "after completion";
}

TEST_F(AmendedResult, APdfRenderedAfterCompletionIsAddedToTheCard) {
  auto [id, candidate] = hackerrank_order();
  ASSERT_TRUE(stack_.hackerrank().finish(candidate, outcome(90)));
  ASSERT_TRUE(stack_.hackerrank().set_pdf_unavailable(candidate, 1));
  EXPECT_EQ(stack_.hackerrank().send_webhook(candidate).status, 200);
  ASSERT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();
  EXPECT_EQ(attachments_of(card(id)), 0u) << card(id).dump();

  // HackerRank posts again; this time the PDF is ready.
  EXPECT_EQ(stack_.hackerrank().send_webhook(candidate).status, 200);
  ASSERT_TRUE(card_shows(id, [](const json& c) { return attachments_of(c) == 1u; }))
      << stack_.engine().log();
  auto lines = timeline_lines(id, "amended");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].detail.find("attachments (a document became available at the vendor"),
            std::string::npos)
      << lines[0].detail;
  EXPECT_EQ(card(id).value("status", ""), "completed");
}

TEST_F(AmendedResult, ACheckrDisputeUpdatesTheCompletedCard) {
  auto [id, report] = checkr_order_with_complete_report();
  EXPECT_EQ(deliver(*stack_.checkr().report_event("report.completed", report)).status, 200);
  ASSERT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();
  EXPECT_EQ(card(id).value("summary", "").rfind("complete / consider", 0), 0u) << card(id).dump();

  ASSERT_TRUE(stack_.checkr().dispute_report(report));  // the candidate disputes the report
  EXPECT_EQ(deliver(*stack_.checkr().report_event("report.disputed", report)).status, 200);
  ASSERT_TRUE(card_shows(id, [](const json& c) {
    return c.value("summary", "").rfind("dispute / consider", 0) == 0;
  })) << stack_.engine().log();
  EXPECT_EQ(card(id).value("status", ""), "completed");
  auto lines = timeline_lines(id, "amended");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].detail.rfind("amended: summary", 0), 0u) << lines[0].detail;
  EXPECT_NE(lines[0].detail.find("(changed by the vendor, revision "), std::string::npos)
      << lines[0].detail;
  EXPECT_EQ(stack_.engine().order(id)->status, "completed");
}

TEST_F(AmendedResult, AnOlderCheckrEventAfterANewerOneIsIgnored) {
  auto [id, report] = checkr_order_with_complete_report();
  const json completed = *stack_.checkr().report_event("report.completed", report);
  fakes::checkr::ReportChange engaged;
  engaged.adjudication = "engaged";  // the employer starts its review
  ASSERT_TRUE(stack_.checkr().update_report(report, engaged));
  const json newer = *stack_.checkr().report_event("report.engaged", report);

  // Checkr's deliveries cross: the newer event first, then the older one.
  EXPECT_EQ(deliver(newer).status, 200);
  ASSERT_TRUE(card_shows(id, [](const json& c) {
    return c.value("summary", "").find("adjudication=engaged") != std::string::npos;
  })) << stack_.engine().log();
  const auto writes = stack_.teamtailor().writes_for(id).size();
  EXPECT_EQ(deliver(completed).status, 200);

  auto ignored = timeline_lines(id, "ignored_older");
  ASSERT_EQ(ignored.size(), 1u) << stack_.engine().log();
  EXPECT_NE(ignored[0].detail.find("'completed' ignored: older than revision "), std::string::npos)
      << ignored[0].detail;
  EXPECT_TRUE(timeline_lines(id, "amended", 0).empty());
  EXPECT_EQ(stack_.teamtailor().writes_for(id).size(), writes);  // nothing written again
  EXPECT_NE(card(id).value("summary", "").find("adjudication=engaged"), std::string::npos);
  EXPECT_FALSE(stack_.engine().daemon().events("vendor_update_ignored").empty());
}

TEST_F(AmendedResult, APendingAfterCompletedLeavesTheCardCompleted) {
  auto [id, report] = checkr_order_with_complete_report();
  EXPECT_EQ(deliver(*stack_.checkr().report_event("report.completed", report)).status, 200);
  ASSERT_TRUE(card_reaches(id, "completed")) << stack_.engine().log();
  const auto writes = stack_.teamtailor().writes_for(id).size();

  // Checkr suspends the report again (it needs something from the candidate): a newer event whose
  // re-fetch maps to `pending`.
  fakes::checkr::ReportChange suspended;
  suspended.status = "suspended";
  ASSERT_TRUE(stack_.checkr().update_report(report, suspended));
  EXPECT_EQ(deliver(*stack_.checkr().report_event("report.suspended", report)).status, 200);

  auto ignored = timeline_lines(id, "ignored_final");
  ASSERT_EQ(ignored.size(), 1u) << stack_.engine().log();
  EXPECT_EQ(ignored[0].detail, "'pending' ignored: the order is already completed");
  EXPECT_EQ(stack_.engine().order(id)->status, "completed");
  EXPECT_EQ(card(id).value("status", ""), "completed");
  EXPECT_EQ(stack_.teamtailor().writes_for(id).size(), writes);
}

}  // namespace
}  // namespace ttb
