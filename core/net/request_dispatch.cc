#include "net/request_dispatch.h"

#include <atomic>
#include <cctype>
#include <exception>
#include <memory>
#include <string_view>
#include <utility>

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

// Under Beast's own bound for a field's name or value.
constexpr std::size_t kMaxFieldBytes = 65'000;

bool is_sendable_value(std::string_view value) {
  return value.size() <= kMaxFieldBytes &&
         value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// What the copies of one respond_once share.
class AnswerSlot {
 public:
  explicit AnswerSlot(std::function<void(Response)> deliver) : deliver_(std::move(deliver)) {}
  AnswerSlot(const AnswerSlot&) = delete;
  AnswerSlot& operator=(const AnswerSlot&) = delete;
  ~AnswerSlot() {
    if (answered_.exchange(true)) return;
    try {
      ops::log_error("http_answer_dropped",
                     {{"error", "an asynchronous handler gave up its request without answering"}});
      deliver_(Response::text(500, "internal error\n"));
    } catch (...) {
      // Out of memory: nothing more can be done for this request from a destructor.
    }
  }
  // False when an answer was given already: this one is dropped.
  bool answer(Response response) {
    if (answered_.exchange(true)) return false;
    deliver_(std::move(response));
    return true;
  }

 private:
  std::atomic<bool> answered_{false};
  std::function<void(Response)> deliver_;
};

void log_handler_failure(const std::string& route, const Request& request,
                         const std::string& error) {
  ops::log_error("http_handler_failed",
                 {{"route", route}, {"request_id", request.request_id}, {"error", error}});
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
    log_handler_failure(route, request, e.what());
  } catch (...) {
    log_handler_failure(route, request, "non-standard exception");
  }
  return Response::text(500, "internal error\n");
}

std::optional<std::string> unsendable(const Response& response) {
  // A handler gives the final answer: an interim 1xx would leave the client waiting for the one
  // that never follows. 204 and 304 carry no body by definition (RFC 9110, 15.3.5 and 15.4.5).
  if (response.status < 200 || response.status > 999) {
    return "status " + std::to_string(response.status) + " is not a final answer's (200 to 999)";
  }
  if ((response.status == 204 || response.status == 304) && !response.body.empty()) {
    return "status " + std::to_string(response.status) + " carries no body, and this one has " +
           std::to_string(response.body.size()) + " bytes";
  }
  if (!is_sendable_value(response.content_type)) {
    return "the content type holds CR, LF or NUL, or is over " + std::to_string(kMaxFieldBytes) +
           " bytes";
  }
  for (const auto& [name, value] : response.headers) {
    if (name.size() > kMaxFieldBytes || !is_token(name))
      return "a header name is not a token: '" + name.substr(0, 64) + "'";
    if (!is_sendable_value(value)) {
      return "the value of header " + name + " holds CR, LF or NUL, or is over " +
             std::to_string(kMaxFieldBytes) + " bytes";
    }
  }
  return std::nullopt;
}

OnceAnswer respond_once(std::function<void(Response)> deliver) {
  auto slot = std::make_shared<AnswerSlot>(std::move(deliver));
  std::weak_ptr<AnswerSlot> weak = slot;
  return {[slot](Response response) { slot->answer(std::move(response)); },
          [weak](Response response) {
            auto answering = weak.lock();
            return answering && answering->answer(std::move(response));
          }};
}

void run_async_handler(const AsyncHandler& handler, const std::string& route, Request& request,
                       const Respond& respond) {
  try {
    handler(request, respond);
    return;
  } catch (const std::exception& e) {
    log_handler_failure(route, request, e.what());
  } catch (...) {
    log_handler_failure(route, request, "non-standard exception");
  }
  respond(Response::text(500, "internal error\n"));  // ignored if the handler answered first
}

}  // namespace ttb::net
