// Router path matching (core/net/router.h) over the public listener's routes.
// Input: line 1 is the method, the rest is the (decoded) path.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "fuzz_support.h"
#include "net/router.h"

namespace net = ttb::net;

namespace {

const net::Router& router() {
  static const net::Router routes = [] {
    net::Router r;
    const auto ok = [](net::Request&) { return net::Response::text(200, "ok\n"); };
    r.add("GET", "/healthz", ok);
    r.add("GET", "/readyz", ok);
    r.add("GET", "/metrics", ok);
    r.add("GET", "/activation", ok);
    r.add("GET", "/activation/validate", ok);
    r.add("GET", "/config", ok);
    r.add("POST", "/webhook", ok);
    r.add("POST", "/actions/{name}", ok);
    r.add("POST", "/callbacks/{tenant}/{provider}/{rest...}", ok);
    return r;
  }();
  return routes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = ttb::fuzz::fields(ttb::fuzz::as_text(data, size), 2);
  net::Request request;
  request.method = std::string(parts[0]);
  request.path = std::string(parts[1]);

  const net::Router::Match match = router().match(request);
  if (match.handler == nullptr) {
    TTB_FUZZ_CHECK(request.params.empty());
    return 0;
  }
  TTB_FUZZ_CHECK(!match.method_mismatch);
  TTB_FUZZ_CHECK(match.route.front() == '/');
  // A parameter is one non-empty path segment; only {rest...} may span segments.
  for (const auto& [name, value] : request.params) {
    if (name == "rest") continue;
    TTB_FUZZ_CHECK(!value.empty());
    TTB_FUZZ_CHECK(value.find('/') == std::string::npos);
  }
  if (match.route == "/callbacks/{tenant}/{provider}/{rest...}") {
    TTB_FUZZ_CHECK(request.params.count("tenant") == 1 && request.params.count("provider") == 1 &&
                   request.params.count("rest") == 1);
  }
  return 0;
}
