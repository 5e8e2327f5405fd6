// StoreSettings' helpers: what kind of store a url names, and how to show it in logs.
#include <fmt/format.h>

#include "config/checks.h"
#include "config/settings.h"

namespace ttb::config {

bool StoreSettings::is_sqlite() const {
  return store_kind(url) == StoreKind::kSqlite;
}

std::filesystem::path StoreSettings::sqlite_path() const {
  if (!is_sqlite()) return {};
  return std::filesystem::path(url.substr(std::string_view("sqlite://").size()));
}

std::string StoreSettings::redacted_url() const {
  std::string out = url;
  // postgresql://user:password@host/db -> postgresql://user:<redacted>@host/db
  const std::size_t scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    const std::size_t start = scheme_end + 3;
    const std::size_t at = out.find('@', start);
    const std::size_t slash = out.find('/', start);
    const std::size_t colon = out.find(':', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash) &&
        colon != std::string::npos && colon < at) {
      out = fmt::format("{}<redacted>{}", out.substr(0, colon + 1), out.substr(at));
    }
  }
  // ...?password=secret&sslmode=require -> ...?password=<redacted>&sslmode=require
  for (std::size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    if (pos > 0 && out[pos - 1] != '?' && out[pos - 1] != '&') continue;
    const std::size_t value = pos + std::string_view("password=").size();
    const std::size_t end = out.find('&', value);
    out.replace(value, end == std::string::npos ? std::string::npos : end - value, "<redacted>");
  }
  return out;
}

}  // namespace ttb::config
