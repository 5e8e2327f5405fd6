#pragma once
// Maps method + path to a handler. Patterns are literal segments and `{name}` parameters; a
// trailing `{rest...}` captures the remainder of the path (vendor callbacks pass it to plugins).

#include <functional>
#include <string>
#include <vector>

#include "net/http_types.h"

namespace ttb::net {

using Handler = std::function<Response(Request&)>;

// Hands a request's answer to its connection, from any thread. The first call answers; later
// ones are ignored. When the last copy goes away unanswered, the request is answered 500.
using Respond = std::function<void(Response)>;
// A handler that answers later through `respond` (once the store's commit is durable, say): it
// returns as soon as it has handed its work on. It runs on the connection's I/O thread, with no
// hop to a worker, so it must never wait: no blocking store call, no plugin call, no sleep. A
// handler that must wait is a plain Handler, which runs on a worker.
using AsyncHandler = std::function<void(Request&, Respond respond)>;

class Router {
 public:
  // pattern examples: "/healthz", "/callbacks/{tenant}/{provider}/{rest...}"
  void add(std::string method, std::string pattern, Handler handler);
  void add_async(std::string method, std::string pattern, AsyncHandler handler);

  struct Match {
    // One of the two is set on a match; both null: no route.
    const Handler* handler = nullptr;
    const AsyncHandler* async_handler = nullptr;
    std::string route;             // the pattern that matched, for metrics labels
    bool method_mismatch = false;  // the path exists with another method (answer 405)
    bool found() const { return handler != nullptr || async_handler != nullptr; }
  };
  // Fills request.params on a match.
  Match match(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;             // empty for an async route
    AsyncHandler async_handler;  // empty for a plain route
  };
  void add_route(Route route);
  std::vector<Route> routes_;
};

}  // namespace ttb::net
