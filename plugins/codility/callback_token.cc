#include "callback_token.h"

#include "ttbridge/hmac_sha256.hpp"
#include "ttbridge/plugin.hpp"

namespace ttb::codility {
namespace {

constexpr std::string_view kKeyLabel = "ttbridge codility callback key v1";
constexpr std::string_view kHostOrdersSegment = "/orders/";

}  // namespace

std::string callback_key(const Config& config) {
  if (!config.callback_secret.empty()) return config.callback_secret;
  return sdk::hmac_sha256_hex(config.api_token, kKeyLabel);
}

std::string callback_token(std::string_view key, std::string_view order_id) {
  return sdk::hmac_sha256_hex(key, "codility-callback:" + std::string(order_id));
}

std::string callback_url_for(std::string_view host_callback_url, std::string_view token) {
  const std::size_t at = host_callback_url.rfind(kHostOrdersSegment);
  if (at == std::string_view::npos || at + kHostOrdersSegment.size() >= host_callback_url.size() ||
      host_callback_url.find_first_of("/?#", at + kHostOrdersSegment.size()) !=
          std::string_view::npos)
    throw sdk::Error(TTB_STATUS_INVALID,
                     "order request: `callback_url` does not end in /orders/{order id}");
  std::string url(host_callback_url.substr(0, at + 1));
  url += kCallbackPathPrefix;
  url += host_callback_url.substr(at + kHostOrdersSegment.size());
  url += '/';
  url += token;
  return url;
}

std::optional<CallbackPath> parse_callback_path(std::string_view path) {
  if (!path.starts_with(kCallbackPathPrefix)) return std::nullopt;
  path.remove_prefix(kCallbackPathPrefix.size());
  const std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= path.size())
    return std::nullopt;
  return CallbackPath{std::string(path.substr(0, slash)), std::string(path.substr(slash + 1))};
}

bool token_matches(std::string_view key, std::string_view order_id, std::string_view given) {
  if (key.empty() || order_id.empty()) return false;
  return sdk::constant_time_equals(given, callback_token(key, order_id));
}

}  // namespace ttb::codility
