#include "http/console_routes.h"

#include <string>
#include <string_view>

#include "http/console_assets.h"

namespace ttb::http {
namespace {

// The console's own files only: scripts, styles and fetches from this origin, no framing (the
// pages hold Retry and Replay buttons a framing site could trick an operator into pressing).
void add_security_headers(net::Response& response) {
  response.headers.emplace_back("Content-Security-Policy",
                                "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                                "form-action 'self'");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  // Revalidate on every load, so an upgraded daemon never runs with yesterday's scripts.
  response.headers.emplace_back("Cache-Control", "no-cache");
}

const EmbeddedAsset* find_asset(std::string_view path) {
  for (const EmbeddedAsset& asset : console_assets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

net::Response serve(std::string_view path) {
  net::Response response;
  if (const EmbeddedAsset* asset = find_asset(path.empty() ? "index.html" : path)) {
    response.status = 200;
    response.content_type = std::string(asset->content_type);
    response.body = std::string(asset->bytes);
  } else {
    response = net::Response::text(404, "no such console file\n");
  }
  add_security_headers(response);
  return response;
}

}  // namespace

void add_console_routes(net::Router& router) {
  // One pattern matches /console, /console/ and /console/<file>: the router ignores a trailing
  // slash, so the redirect is decided on the request's own path.
  router.add("GET", "/console/{file...}", [](net::Request& request) {
    if (request.path == "/console") {
      // The pages name their files relative to /console/, which keeps them working behind a
      // proxy that mounts the admin listener under a prefix; a relative Location keeps it too.
      net::Response response = net::Response::text(308, "the console is at /console/\n");
      response.headers.emplace_back("Location", "console/");
      add_security_headers(response);
      return response;
    }
    return serve(request.params["file"]);
  });
}

}  // namespace ttb::http
