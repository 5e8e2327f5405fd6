#include "net/request_dispatch.h"

#include <cctype>
#include <exception>

#include "ops/log.h"
#include "ops/request_id.h"

namespace ttb::net {
namespace {

bool acceptable_request_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace

std::string request_id_for(const Headers& headers) {
  auto incoming = find_header(headers, "X-Request-Id");
  if (incoming && acceptable_request_id(*incoming)) return *incoming;
  return ops::next_request_id();
}

std::optional<Response> check_header_limits(const Headers& headers, const ServerOptions& options) {
  if (headers.size() > options.max_header_count) {
    return Response::text(431, "too many header fields\n");
  }
  for (const auto& [name, value] : headers) {
    if (name.size() + value.size() > options.max_header_bytes) {
      return Response::text(431, "header field too large\n");
    }
  }
  return std::nullopt;
}

Response run_handler(const Handler& handler, const std::string& route, Request& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    ops::log_error("http_handler_failed",
                   {{"route", route}, {"request_id", request.request_id}, {"error", e.what()}});
  } catch (...) {
    ops::log_error("http_handler_failed", {{"route", route},
                                           {"request_id", request.request_id},
                                           {"error", "non-standard exception"}});
  }
  return Response::text(500, "internal error\n");
}

}  // namespace ttb::net
