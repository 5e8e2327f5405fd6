#pragma once
// What the inbound server does with a request once its bytes are in, apart from the transport:
// pick the request id, check the header limits, and run the matched handler so that a handler's
// exception, or an answer the wire cannot carry, becomes a 500 instead of taking the daemon down.

#include <functional>
#include <optional>
#include <string>

#include "net/http_server.h"
#include "net/router.h"

namespace ttb::net {

// An incoming X-Request-Id is kept when it is short and plain, so a caller can follow its request
// through our logs; anything else is replaced by a fresh id.
std::string request_id_for(const Headers& headers);

// The 431 answer when the fields break the limits of `options`, else nothing.
std::optional<Response> check_header_limits(const Headers& headers, const ServerOptions& options);

// Calls the handler; an exception is logged with the route and answered 500.
Response run_handler(const Handler& handler, const std::string& route, Request& request);

// Why `response` cannot be written as it is, or nothing: a header name that is not a token, a
// value with CR, LF or NUL (it would split the answer), or a field too long for Beast (which
// throws past 65,533 bytes, on an I/O thread), a status that is not a final one or a body where
// the status has none. A handler's bug; the connection answers 500.
std::optional<std::string> unsendable(const Response& response);

// `respond`, for the handler, calls `deliver` once: with the first answer given, or with a 500
// when its last copy goes away unanswered, so that a handler that loses its answer cannot leave
// its caller waiting. `deliver` runs on the thread that answers (or drops the last copy).
// `instead` gives an answer in the handler's place (a deadline's 503) and says whether it went
// out: not when the handler answered first. It does not keep the answer awaited.
struct OnceAnswer {
  Respond respond;
  std::function<bool(Response)> instead;
};
OnceAnswer respond_once(std::function<void(Response)> deliver);

// Calls the async handler; an exception it throws before answering is logged and answered 500.
void run_async_handler(const AsyncHandler& handler, const std::string& route, Request& request,
                       const Respond& respond);

}  // namespace ttb::net
