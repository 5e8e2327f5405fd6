#pragma once
// Checks of single values' shapes: names, listen addresses, URLs, store URLs. Pure functions, no
// I/O; internal to ttb_config.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ttb::config {

// Tenant ids, provider names and plugin names: [a-z0-9][a-z0-9_-]{0,62}. They appear in URLs,
// metric labels and file names, so nothing else is allowed.
bool is_valid_name(std::string_view name);
inline constexpr std::string_view kNameRule =
    "1 to 63 characters of a-z, 0-9, '_' and '-', starting with a letter or digit";

struct ListenAddress {
  std::string host;  // without IPv6 brackets
  std::uint16_t port = 0;
};
// "host:port" or "[v6-address]:port"; port 0..65535 (0 = ephemeral).
std::optional<ListenAddress> parse_listen(std::string_view text);

// "http://HOST[...]" or "https://HOST[...]".
bool is_http_url(std::string_view url);

enum class StoreKind { kSqlite, kPostgresql };
// The kind of a store url, or nullopt for another scheme or an empty location.
std::optional<StoreKind> store_kind(std::string_view url);
// The scheme of a url ("mysql" for "mysql://..."), or "" when it has none.
std::string_view url_scheme(std::string_view url);

}  // namespace ttb::config
