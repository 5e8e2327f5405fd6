#include "demo_card_changes.h"

#include <chrono>
#include <functional>
#include <iostream>
#include <optional>
#include <string>

#include "demo_steps.h"
#include "result_card.h"

namespace ttb::demo {
namespace {

using nlohmann::json;
constexpr std::chrono::seconds kStepTimeout{20};

// Waits until the card of `id` meets `condition`; prints the card either way.
bool wait_for_card(LoopbackStack& stack, const std::string& id,
                   const std::function<bool(const json&)>& condition, const std::string& title) {
  bool reached =
      testing::eventually([&] { return condition(card_of(stack, id)); },
                          std::chrono::duration_cast<std::chrono::milliseconds>(kStepTimeout));
  std::cout << render_card(title, card_of(stack, id)) << std::flush;
  if (!reached) std::cout << "   !! the card did not change as expected in time\n";
  return reached;
}

std::function<bool(const json&)> status_is(const std::string& status) {
  return [status](const json& card) { return card.value("status", "") == status; };
}

int score_of(const json& card) {
  auto a = card.find("assessment");
  return a != card.end() && a->is_object() ? a->value("score", -1) : -1;
}

bool press_cancel(LoopbackStack& stack, const std::function<void(const std::string&)>& step) {
  std::cout << "\n=== A button on the card: the recruiter cancels a background check ===\n";
  step("The recruiter sends Checkr's \"basic_criminal\" to Alan Turing.");
  auto event = send_order(stack, "checkr:basic_criminal", "Alan", "Turing", "alan@example.org");
  if (!event) return false;
  const std::string id = event->partner_result_id;
  if (!wait_for_card(stack, id, status_is("sent"), "Checkr - before the click")) return false;

  json cancel;
  for (const auto& button : card_of(stack, id).value("actions", json::array())) {
    if (button.value("endpoint", "") == "actions/cancel-order") cancel = button;
  }
  if (cancel.is_null()) {
    say("!! the card has no \"Cancel order\" button");
    return false;
  }
  step("The recruiter presses \"" + cancel.value("buttonText", "") +
       "\": Teamtailor posts the original partner event to {base-url}/" +
       cancel.value("endpoint", "") + " (signed, provider-key JWT).");
  fakes::SendOptions press;
  press.path = "/";
  press.path += cancel.value("endpoint", "");
  auto pressed = stack.recruiter().send(LoopbackStack::kActivationToken, *event, press);
  say("POST " + press.path + " -> " + std::to_string(pressed.response.status) + " " +
      pressed.response.body);

  step("ttbridged cancels the invitation at Checkr and writes the card again (no buttons left):");
  const bool cancelled = wait_for_card(stack, id, status_is("failed"), "Checkr - after the click");
  auto invitations = stack.checkr().invitation_ids();
  if (!invitations.empty()) {
    auto inv = stack.checkr().invitation(invitations.back()).value_or(json::object());
    say("Checkr invitation " + invitations.back() +
        ": deleted_at = " + (inv.contains("deleted_at") ? inv["deleted_at"].dump() : "-"));
  }
  return cancelled;
}

bool amend_after_rescore(LoopbackStack& stack,
                         const std::function<void(const std::string&)>& step) {
  std::cout << "\n=== An amended result: HackerRank re-scores a completed test ===\n";
  auto& hackerrank = stack.hackerrank();
  step("The recruiter sends HackerRank's test 4711 to Margaret Hamilton; she takes it.");
  auto event = send_order(stack, "hackerrank:4711", "Margaret", "Hamilton", "margaret@example.org");
  if (!event) return false;
  const std::string id = event->partner_result_id;
  if (!wait_for_card(stack, id, status_is("sent"), "result card")) return false;
  auto candidate = hackerrank.candidate_id_for("4711", "margaret@example.org");
  if (!candidate) return false;
  fakes::hackerrank::Outcome outcome;
  outcome.percentage_score = 71;
  hackerrank.finish(*candidate, outcome);
  auto delivery = hackerrank.send_webhook(*candidate);
  say("HackerRank posts the result (71%) -> " + std::to_string(delivery.status));
  if (!wait_for_card(
          stack, id, [](const json& c) { return score_of(c) == 71; },
          "HackerRank - before the re-score")) {
    return false;
  }

  step(
      "HackerRank re-evaluates the attempt (84%) and, as the invite asked "
      "(accept_result_updates), posts again.");
  hackerrank.update_score(*candidate, 84);
  delivery = hackerrank.send_webhook(*candidate);
  say("POST .../orders/" + id + " (Bearer) -> " + std::to_string(delivery.status));

  step("ttbridged amends the completed card (the status stays completed):");
  const bool amended = wait_for_card(
      stack, id, [](const json& c) { return score_of(c) == 84; },
      "HackerRank - after the re-score");
  for (const auto& line : stack.engine().timeline(id)) {
    if (line.event == "amended") say("order timeline: " + line.detail);
  }
  return amended;
}

}  // namespace

bool walk_card_changes(LoopbackStack& stack, int& step_number) {
  auto step = [&step_number](const std::string& text) {
    std::cout << "\n" << ++step_number << ". " << text << "\n";
  };
  const bool cancelled = press_cancel(stack, step);
  const bool amended = amend_after_rescore(stack, step);
  return cancelled && amended;
}

}  // namespace ttb::demo
