#pragma once
// The operator's web console on the admin listener: GET /console/ and the files under it, served
// from the assets compiled into the binary (console_assets.h). The pages call the operator API
// (/api/...) from the browser; these routes only hand out static files, so they need no token.
// docs/operations.md, "The console", describes it.

#include "net/router.h"

namespace ttb::http {

// GET /console (redirects to /console/), GET /console/ (index.html) and GET /console/<file>.
// Every answer carries a Content-Security-Policy of `default-src 'self'` (no inline script or
// style, nothing from elsewhere), nosniff, no-cache and X-Frame-Options: DENY.
void add_console_routes(net::Router& router);

}  // namespace ttb::http
