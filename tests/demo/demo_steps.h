#pragma once
// What every part of the demo does the same way: print a line under the current step, read the
// card Teamtailor shows now, and send a recruiter's "Send" (Teamtailor's signed webhook).

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "fakes/teamtailor/webhook_sender.h"
#include "loopback_stack.h"

namespace ttb::demo {

// One indented line of output, under the current step.
void say(const std::string& text);

// The card Teamtailor shows for `id` now ({} before the first write).
nlohmann::json card_of(LoopbackStack& stack, const std::string& id);

// The recruiter clicks Send: Teamtailor's signed webhook to POST /webhook. Returns the partner
// event as sent (its ids filled in; Teamtailor posts it again when a card's button is pressed),
// or nullopt when the daemon did not accept it.
std::optional<fakes::WebhookParams> send_order(LoopbackStack& stack, const std::string& test,
                                               const std::string& first, const std::string& last,
                                               const std::string& email);

}  // namespace ttb::demo
