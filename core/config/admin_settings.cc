#include "config/admin_settings.h"

#include <fstream>
#include <iterator>
#include <system_error>

#include <fmt/format.h>

#include "config/checks.h"

namespace ttb::config {
namespace {

// A token file holds one line; anything longer is not a token file.
constexpr std::uintmax_t kMaxTokenFileBytes = 4096;
// Shorter tokens can be guessed; `openssl rand -hex 32` gives 64 characters.
constexpr std::size_t kMinTokenChars = 16;
// sockaddr_un's sun_path holds 108 bytes on Linux, its final NUL included.
constexpr std::size_t kMaxSocketPathBytes = 108;

bool is_wildcard(std::string_view host) {
  return host == "0.0.0.0" || host == "::";
}

// Two listeners on the same port clash when they name the same host or either takes them all.
bool same_socket(std::string_view host_a, std::uint16_t port_a, std::string_view host_b,
                 std::uint16_t port_b) {
  if (port_a == 0 || port_a != port_b) return false;  // port 0: the system picks a free one
  return host_a == host_b || is_wildcard(host_a) || is_wildcard(host_b);
}

std::string_view trimmed(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

// False (after a report) when the address is unusable.
bool read_listen(Document& doc, ValueReader& values, const Entry& e, AdminSettings& admin) {
  auto text = values.text(e, "\"host:port\" or \"unix:PATH\", e.g. \"127.0.0.1:9090\"");
  if (!text) return false;
  if (text->rfind("unix:", 0) == 0) {
    const std::string path = text->substr(5);
    if (path.empty()) {
      doc.report(e.value_mark(), fmt::format("admin.listen '{}' names no socket file; write e.g. "
                                             "\"unix:/run/ttbridge/admin.sock\"",
                                             shown(e)));
      return false;
    }
    if (path.size() >= kMaxSocketPathBytes) {
      doc.report(e.value_mark(),
                 fmt::format("admin.listen '{}': a Unix socket path must be shorter than {} "
                             "bytes; choose a shorter one, e.g. \"unix:/run/ttbridge/admin.sock\"",
                             shown(e), kMaxSocketPathBytes));
      return false;
    }
    admin.listen = *text;
    admin.socket_path = path;
    admin.host.clear();
    admin.port = 0;
    return true;
  }
  auto address = parse_listen(*text);
  if (!address) {
    doc.report(e.value_mark(), fmt::format("admin.listen '{}' is not host:port; write e.g. "
                                           "\"127.0.0.1:9090\" or \"[::1]:9090\"",
                                           shown(e)));
    return false;
  }
  admin.listen = *text;
  admin.host = address->host;
  admin.port = address->port;
  return true;
}

void read_token_file(Document& doc, ValueReader& values, const Entry& e, AdminSettings& admin) {
  auto text = values.text(e, "a file path, e.g. \"/etc/ttbridge/admin.token\"");
  if (!text) return;
  if (text->empty()) {
    doc.report(e.value_mark(),
               "admin.token_file is empty; name a file holding the token, or "
               "remove the key to run the admin listener without a token");
    return;
  }
  const std::filesystem::path file = *text;
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec || !std::filesystem::exists(status)) {
    doc.report(e.value_mark(),
               fmt::format("admin.token_file {} does not exist (relative paths start at the "
                           "working directory); create it, e.g. with `openssl rand -hex 32`",
                           file.string()));
    return;
  }
  if (!std::filesystem::is_regular_file(status)) {
    doc.report(e.value_mark(),
               fmt::format("admin.token_file {} is not a regular file", file.string()));
    return;
  }
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (ec || size > kMaxTokenFileBytes) {
    doc.report(e.value_mark(),
               fmt::format("admin.token_file {} is larger than {} bytes; it should hold only "
                           "the token",
                           file.string(), kMaxTokenFileBytes));
    return;
  }
  std::ifstream in(file, std::ios::binary);
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    doc.report(e.value_mark(), fmt::format("cannot read admin.token_file {}; check its permissions",
                                           file.string()));
    return;
  }
  const std::string_view token = trimmed(content);
  // The token is never quoted in a message.
  if (token.size() < kMinTokenChars || token.find_first_of(" \t\r\n") != std::string_view::npos) {
    doc.report(e.value_mark(),
               fmt::format("admin.token_file {} must hold one token of at least {} characters "
                           "without spaces, e.g. from `openssl rand -hex 32`",
                           file.string(), kMinTokenChars));
    return;
  }
  admin.token_file = file;
  admin.token = Secret(std::string(token));
}

// Where the public listener's address is written, for a clash with the default admin address.
YAML::Mark server_listen_mark(const Entry* server_entry) {
  if (server_entry == nullptr || !server_entry->value.IsMap()) return YAML::Mark::null_mark();
  const YAML::Node& server = server_entry->value;
  for (auto it = server.begin(); it != server.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == "listen") return it->second.Mark();
  }
  return server_entry->key_node.Mark();
}

}  // namespace

std::vector<std::string_view> admin_keys() {
  return {"listen", "token_file"};
}

void read_admin(Document& doc, ValueReader& values, const MapView& map, const Entry* server_entry,
                const ServerSettings& server, AdminSettings& admin) {
  if (!map.is_map()) return;
  const Entry* listen = map.find("listen");
  const bool listen_ok = listen == nullptr || read_listen(doc, values, *listen, admin);
  if (const Entry* e = map.find("token_file")) read_token_file(doc, values, *e, admin);
  if (!listen_ok) return;
  if (!same_socket(admin.host, admin.port, server.host, server.port)) return;
  const std::string message = fmt::format(
      "admin.listen {} and server.listen {} use the same port; the admin listener (/metrics, "
      "/readyz) needs an address of its own, e.g. admin.listen \"127.0.0.1:9090\"",
      admin.listen, server.listen);
  if (listen != nullptr) {
    doc.report(listen->value_mark(), message);
  } else {
    doc.report(server_listen_mark(server_entry), message + " (admin.listen is the default)");
  }
}

}  // namespace ttb::config
