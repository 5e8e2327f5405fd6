#pragma once
// The web console's files (console/ at the top of the repository), compiled into the binary by
// cmake/EmbedAssets.cmake, so the daemon serves them without reading the disk or any CDN.

#include <string_view>
#include <vector>

namespace ttb::http {

struct EmbeddedAsset {
  std::string_view path;          // below console/, e.g. "index.html", "views/orders.js"
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view bytes;
};

// Every file of console/, sorted by path. Defined in the generated console_assets.cc.
const std::vector<EmbeddedAsset>& console_assets();

}  // namespace ttb::http
