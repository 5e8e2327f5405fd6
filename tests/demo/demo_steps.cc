#include "demo_steps.h"

#include <iostream>

namespace ttb::demo {

void say(const std::string& text) {
  std::cout << "   " << text << "\n";
}

nlohmann::json card_of(LoopbackStack& stack, const std::string& id) {
  nlohmann::json card = stack.teamtailor().current(id);
  return card.is_object() ? card : nlohmann::json::object();
}

std::optional<fakes::WebhookParams> send_order(LoopbackStack& stack, const std::string& test,
                                               const std::string& first, const std::string& last,
                                               const std::string& email) {
  fakes::WebhookParams params;
  params.test = test;
  params.first_name = first;
  params.last_name = last;
  params.email = email;
  params.update_url_base = stack.teamtailor().api_url();
  auto sent = stack.recruiter().send(LoopbackStack::kActivationToken, params);
  std::string line = "POST /webhook (signed, provider-key JWT) -> ";
  line += std::to_string(sent.response.status);
  line += "; partner result ";
  line += sent.params.partner_result_id;
  say(line);
  if (sent.response.status / 100 != 2) {
    line = "!! refused: ";  // appended: GCC 12 at -O3 flags `"lit" + std::string` (-Wrestrict)
    line += sent.response.body;
    say(line);
    return std::nullopt;
  }
  return sent.params;
}

}  // namespace ttb::demo
