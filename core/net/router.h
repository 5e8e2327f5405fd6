#pragma once
// Maps method + path to a handler. Patterns are literal segments and `{name}` parameters; a
// trailing `{rest...}` captures the remainder of the path (vendor callbacks pass it to plugins).

#include <functional>
#include <string>
#include <vector>

#include "net/http_types.h"

namespace ttb::net {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  // pattern examples: "/healthz", "/callbacks/{tenant}/{provider}/{rest...}"
  void add(std::string method, std::string pattern, Handler handler);

  struct Match {
    const Handler* handler = nullptr;  // null: no route
    std::string route;                 // the pattern that matched, for metrics labels
    bool method_mismatch = false;      // the path exists with another method (answer 405)
  };
  // Fills request.params on a match.
  Match match(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace ttb::net
