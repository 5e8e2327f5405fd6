// ttb_demo: shows the engine work end to end before Teamtailor is connected. Starts fakes of
// Teamtailor, Checkr, HackerRank and Codility on loopback, runs the real ttbridged on a temp
// config, and walks one order of each vendor from the recruiter's "Send" to the written result,
// printing each step and the final result card; then a card's button pressed and a re-scored
// result amending its card (demo_card_changes.cc); then one TestGorilla order, a vendor without
// webhooks, on a second daemon that polls fast (demo_testgorilla.cc). Exits 0 when every order
// completes.

#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "demo_card_changes.h"
#include "demo_steps.h"
#include "demo_testgorilla.h"
#include "fakes/checkr/webhook_sender.h"
#include "loopback_stack.h"
#include "result_card.h"

namespace ttb::demo {
namespace {

using nlohmann::json;
constexpr std::chrono::seconds kStepTimeout{20};

int step_number = 0;

void step(const std::string& text) {
  std::cout << "\n" << ++step_number << ". " << text << "\n";
}

// Waits until the card Teamtailor shows for `id` has `status`; prints the card either way.
bool wait_for_card(LoopbackStack& stack, const std::string& id, const std::string& status,
                   const std::string& title) {
  bool reached =
      testing::eventually([&] { return card_of(stack, id).value("status", "") == status; },
                          std::chrono::duration_cast<std::chrono::milliseconds>(kStepTimeout));
  std::cout << render_card(title, card_of(stack, id)) << std::flush;
  if (!reached) std::cout << "   !! the card did not reach '" << status << "' in time\n";
  return reached;
}

// The recruiter opens the pop-up (GET /config) and picks `test`; prints what the pop-up offers.
void show_test_picker(LoopbackStack& stack, const std::string& provider_label) {
  auto response = stack.recruiter().get("/config", LoopbackStack::kActivationToken);
  json form = json::parse(response.body, nullptr, false);
  say("GET /config -> " + std::to_string(response.status));
  if (form.is_discarded()) return;
  for (const auto& field : form["config"]["fields"]) {
    if (!field.contains("optgroups")) continue;
    for (const auto& group : field["optgroups"]) {
      if (group.value("label", "") != provider_label) continue;
      for (const auto& option : group["options"]) {
        say("  [" + option.value("id", "") + "] " + option.value("label", ""));
      }
    }
  }
}

bool walk_checkr(LoopbackStack& stack) {
  std::cout << "\n=== Checkr: a background check for Ada Lovelace ===\n";
  auto& checkr = stack.checkr();
  fakes::checkr::WebhookSender vendor_webhooks(checkr.api_key());

  step(
      "The recruiter opens Teamtailor's \"send test\" pop-up; ttbridged lists the Checkr "
      "packages.");
  show_test_picker(stack, "checkr");

  step("The recruiter picks \"checkr:basic_criminal\" and clicks Send.");
  const auto sent =
      send_order(stack, "checkr:basic_criminal", "Ada", "Lovelace", "ada@example.org");
  if (!sent) return false;
  const std::string id = sent->partner_result_id;

  step("ttbridged invites the candidate at Checkr and tells Teamtailor the invitation is sent.");
  if (!wait_for_card(stack, id, "sent", "result card")) return false;
  auto invitations = checkr.invitation_ids();
  if (invitations.empty()) return false;
  const std::string invitation = invitations.back();
  auto inv = checkr.invitation(invitation).value_or(json::object());
  say("Checkr invitation " + invitation + " for package " + inv.value("package", "?") +
      "; the candidate's link: " + inv.value("invitation_url", "?"));

  step("The candidate fills in Checkr's form; Checkr starts the report and calls the webhook.");
  const std::string report = checkr.complete_invitation(invitation);
  auto event = checkr.invitation_event("invitation.completed", invitation);
  auto delivery = vendor_webhooks.deliver(stack.callback_url("checkr"), *event);
  say("POST /callbacks/acme/checkr invitation.completed (X-Checkr-Signature) -> " +
      std::to_string(delivery.status));
  if (!wait_for_card(stack, id, "pending", "result card")) return false;

  step("Checkr completes report " + report + " (clear) and calls the webhook again.");
  fakes::checkr::ReportChange change;
  change.status = "complete";
  change.result = "clear";
  checkr.update_report(report, change);
  delivery = vendor_webhooks.deliver(stack.callback_url("checkr"),
                                     *checkr.report_event("report.completed", report));
  say("POST /callbacks/acme/checkr report.completed -> " + std::to_string(delivery.status));

  step("The recruiter's result card for Ada Lovelace:");
  return wait_for_card(stack, id, "completed", "Checkr - Basic Criminal");
}

bool walk_hackerrank(LoopbackStack& stack) {
  std::cout << "\n=== HackerRank: a coding test for Grace Hopper ===\n";
  auto& hackerrank = stack.hackerrank();
  const std::string test_id = "4711";

  step("The recruiter opens the pop-up; ttbridged lists the published HackerRank tests.");
  show_test_picker(stack, "hackerrank");

  step("The recruiter picks \"hackerrank:" + test_id + "\" and clicks Send.");
  const auto sent =
      send_order(stack, "hackerrank:" + test_id, "Grace", "Hopper", "grace@example.org");
  if (!sent) return false;
  const std::string id = sent->partner_result_id;

  step("ttbridged invites the candidate at HackerRank (with this order's callback URL and token).");
  if (!wait_for_card(stack, id, "sent", "result card")) return false;
  auto candidate_id = hackerrank.candidate_id_for(test_id, "grace@example.org");
  if (!candidate_id) return false;
  auto candidate = hackerrank.candidate(*candidate_id).value_or(json::object());
  say("HackerRank candidate " + *candidate_id +
      "; the candidate's test link: " + candidate.value("invite_link", "?"));
  auto invites = hackerrank.invite_bodies();
  if (!invites.empty()) say("test_result_url: " + invites.back().value("test_result_url", "?"));

  step("The candidate starts the test; HackerRank posts to the order's test_result_url.");
  hackerrank.start_attempt(*candidate_id);
  auto delivery = hackerrank.send_webhook(*candidate_id);
  say("POST " + delivery.url.substr(delivery.url.find("/callbacks")) + " (Bearer) -> " +
      std::to_string(delivery.status));
  if (!wait_for_card(stack, id, "pending", "result card")) return false;

  step("The candidate submits; HackerRank scores the test and posts the result.");
  fakes::hackerrank::Outcome outcome;
  outcome.percentage_score = 85;
  outcome.questions = {{"Two sums", 40, 50, "Algorithms", "code"},
                       {"LRU cache", 45, 50, "Data structures", "code"}};
  hackerrank.finish(*candidate_id, outcome);
  delivery = hackerrank.send_webhook(*candidate_id);
  say("POST .../orders/" + id + " (Bearer) -> " + std::to_string(delivery.status));

  step("The recruiter's result card for Grace Hopper:");
  return wait_for_card(stack, id, "completed", "HackerRank - C++ Algorithms");
}

bool walk_codility(LoopbackStack& stack) {
  std::cout << "\n=== Codility: a coding test for Katherine Johnson ===\n";
  auto& codility = stack.codility();
  const std::string test_id = "T100";

  step(
      "The recruiter opens the pop-up; ttbridged lists the Codility tests (archived ones left "
      "out).");
  show_test_picker(stack, "codility");

  step("The recruiter picks \"codility:" + test_id + "\" and clicks Send.");
  const auto sent =
      send_order(stack, "codility:" + test_id, "Katherine", "Johnson", "katherine@example.org");
  if (!sent) return false;
  const std::string id = sent->partner_result_id;

  step(
      "ttbridged looks for a session of this order (none), then invites the candidate at "
      "Codility with this order's callback URL, which carries the order's token.");
  if (!wait_for_card(stack, id, "sent", "result card")) return false;
  auto sessions = codility.session_ids_for(id);
  if (sessions.empty()) return false;
  const std::string session = sessions.front();
  auto record = codility.session(session).value_or(json::object());
  say("Codility session " + session +
      "; the candidate's test link: " + record.value("test_link", "?"));
  auto url = codility.callback_url(session, "result").value_or("?");
  say("event_callbacks url: " + url.substr(0, url.rfind('/') + 1) + "<the order's token>");

  step("The candidate solves two tasks; Codility scores them and posts the result callback.");
  codility.start(session);
  codility.evaluate(session, {{"BinaryGap", "cpp", 100, 100}, {"Brackets", "py", 70, 100}});
  auto delivery = codility.send_callback(session, "result");
  say("POST .../results/" + id + "/<token> -> " + std::to_string(delivery ? delivery->status : 0));

  step("The recruiter's result card for Katherine Johnson:");
  return wait_for_card(stack, id, "completed", "Codility - Backend (C++)");
}

int run() {
  std::cout
      << "ttbridge demo: the real ttbridged, with Teamtailor, Checkr, HackerRank and Codility "
         "faked on loopback\n";
  LoopbackStack stack;
  stack.hackerrank().add_test({"4711", "C++ Algorithms", 90});
  stack.hackerrank().add_test({"4712", "SQL Basics", 45});
  stack.codility().add_test({"T100", "Backend (C++)", false});
  stack.codility().add_test({"T099", "Old screening", true});
  std::cout << "  fake Teamtailor partner API  " << stack.teamtailor().api_url() << "\n"
            << "  fake Checkr API              " << stack.checkr().base_url() << "\n"
            << "  fake HackerRank API          " << stack.hackerrank().base_url() << "\n"
            << "  fake Codility API            " << stack.codility().base_url() << "\n";
  if (!stack.start()) {
    std::cerr << "ttbridged did not start:\n" << stack.engine().log() << "\n";
    return 1;
  }
  std::cout << "  ttbridged                    " << stack.engine().base_url()
            << " (tenant acme: providers checkr, hackerrank, codility; config and SQLite in "
            << stack.engine().dir().path().string() << ")\n"
            << "  ttbridged admin listener     " << stack.engine().admin_url()
            << " (/metrics, /readyz)\n";

  const bool checkr_done = walk_checkr(stack);
  const bool hackerrank_done = walk_hackerrank(stack);
  const bool codility_done = walk_codility(stack);
  const bool changes_done = walk_card_changes(stack, step_number);
  const bool testgorilla_done = walk_testgorilla(step_number);

  std::cout << "\nCheckr order:      " << (checkr_done ? "completed" : "NOT completed") << "\n"
            << "HackerRank order:  " << (hackerrank_done ? "completed" : "NOT completed") << "\n"
            << "Codility order:    " << (codility_done ? "completed" : "NOT completed") << "\n"
            << "Button, amendment: " << (changes_done ? "shown" : "NOT shown") << "\n"
            << "TestGorilla order: " << (testgorilla_done ? "completed" : "NOT completed") << "\n";
  if (!checkr_done || !hackerrank_done || !codility_done || !changes_done || !testgorilla_done) {
    std::cerr << "\n--- ttbridged log ---\n" << stack.engine().log();
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace ttb::demo

int main() {
  try {
    return ttb::demo::run();
  } catch (const std::exception& e) {
    std::cerr << "demo: " << e.what() << "\n";
    return 1;
  }
}
