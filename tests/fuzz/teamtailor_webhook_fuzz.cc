// The body of Teamtailor's POST /webhook (core/teamtailor/webhook.h, parse_webhook), with the
// nesting limit checked before parsing. Input: the body.

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "teamtailor/webhook.h"

namespace tt = ttb::teamtailor;

namespace {

std::size_t depth_of(const nlohmann::json& value) {
  if (!value.is_structured()) return 0;
  std::size_t deepest = 0;
  for (const auto& child : value) deepest = std::max(deepest, depth_of(child));
  return deepest + 1;
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 256) return false;
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

void check(std::string_view body, std::size_t max_depth) {
  // parse_webhook promises never to throw: an escaping exception ends the run as a crash.
  const tt::WebhookParse parse = tt::parse_webhook(body, max_depth);
  if (!parse.event) {
    TTB_FUZZ_CHECK(!parse.error.empty());
    return;
  }
  const tt::WebhookEvent& event = *parse.event;
  TTB_FUZZ_CHECK(valid_id(event.event_id));
  TTB_FUZZ_CHECK(valid_id(event.partner_result_id));
  TTB_FUZZ_CHECK(event.candidate.id.size() <= 256);
  // The job's stage reaches the plugins: bounded, or left out.
  TTB_FUZZ_CHECK(event.job.stage.size() <= tt::kMaxJobTextBytes);
  TTB_FUZZ_CHECK(event.job.stage_id.size() <= 256);
  // webhook-data is kept as text and handed to plugins: it must be a JSON object again.
  const auto webhook_data = nlohmann::json::parse(event.webhook_data_json, nullptr, false);
  TTB_FUZZ_CHECK(webhook_data.is_object());
  // webhook-data sits three levels down (root, partner-event, webhook-data).
  TTB_FUZZ_CHECK(depth_of(webhook_data) + 2 <= max_depth);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = ttb::fuzz::as_text(data, size);
  check(body, tt::kMaxWebhookDepth);
  check(body, 4);
  return 0;
}
