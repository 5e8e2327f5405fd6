#include "demo_testgorilla.h"

#include <chrono>
#include <iostream>
#include <string>

#include "demo_steps.h"
#include "polling_stack.h"
#include "result_card.h"

namespace ttb::demo {
namespace {

using nlohmann::json;
constexpr std::chrono::seconds kStepTimeout{20};

bool wait_for_card(PollingStack& stack, const std::string& id, const std::string& status,
                   const std::string& title) {
  bool reached =
      testing::eventually([&] { return stack.card(id).value("status", "") == status; },
                          std::chrono::duration_cast<std::chrono::milliseconds>(kStepTimeout));
  std::cout << render_card(title, stack.card(id)) << std::flush;
  if (!reached) std::cout << "   !! the card did not reach '" << status << "' in time\n";
  return reached;
}

}  // namespace

bool walk_testgorilla(int& step_number) {
  auto step = [&step_number](const std::string& text) {
    std::cout << "\n" << ++step_number << ". " << text << "\n";
  };
  std::cout << "\n=== TestGorilla: a skills assessment for Katherine Johnson (no webhooks) ===\n";
  PollingStack stack;
  auto& testgorilla = stack.testgorilla();
  const std::string assessment = testgorilla.add_assessment("Customer Support");
  if (!stack.start()) {
    std::cerr << "ttbridged (polling) did not start:\n" << stack.engine().log() << "\n";
    return false;
  }
  say("fake TestGorilla API " + testgorilla.base_url() + "; a second ttbridged " +
      stack.engine().base_url() + " polls every second (jobs.poll_interval_s: 1)");

  step("The recruiter picks \"testgorilla:" + assessment +
       "\" (Customer Support) and clicks Send.");
  fakes::WebhookParams params;
  params.test = "testgorilla:" + assessment;
  params.first_name = "Katherine";
  params.last_name = "Johnson";
  params.email = "katherine@example.org";
  params.update_url_base = stack.teamtailor().api_url();
  auto sent = stack.recruiter().send(PollingStack::kActivationToken, params);
  say("POST /webhook -> " + std::to_string(sent.response.status));
  const std::string id = sent.params.partner_result_id;
  if (sent.response.status / 100 != 2) return false;

  step("ttbridged looks the candidate up in the assessment, invites her, and starts polling.");
  if (!wait_for_card(stack, id, "sent", "result card")) return false;
  auto candidature = testgorilla.candidature_for(assessment, params.email);
  if (!candidature) return false;
  say("TestGorilla candidature " + *candidature +
      "; invitations sent: " + std::to_string(testgorilla.invitations_created()));

  step("The candidate starts the assessment. TestGorilla tells nobody; the next poll sees it.");
  testgorilla.start(*candidature);
  if (!wait_for_card(stack, id, "pending", "result card")) return false;

  step("The candidate completes it: two scored tests and a Big 5 profile.");
  testgorilla.complete(*candidature, {{"Problem solving", 90, "basic", ""},
                                      {"Attention to detail", 70, "basic", ""},
                                      {"Big 5 (OCEAN)", std::nullopt, "big_5",
                                       "2-1-1-2-1_30.0-29.0-33.0-26.0-31.0"}});

  step("The recruiter's result card for Katherine Johnson, found by polling:");
  const bool done = wait_for_card(stack, id, "completed", "TestGorilla - Customer Support");
  say("requests to TestGorilla: " +
      std::to_string(testgorilla.count_requests("GET", "/assessments/candidature")) +
      " candidate-list reads, " +
      std::to_string(testgorilla.count_requests("GET", "/assessments/results")) +
      " results read; the order is final, so the polling has stopped");
  if (!done) std::cerr << "\n--- ttbridged (polling) log ---\n" << stack.engine().log();
  return done;
}

}  // namespace ttb::demo
