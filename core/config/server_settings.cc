#include "config/server_settings.h"

#include <fstream>
#include <system_error>

#include <fmt/format.h>

namespace ttb::config {
namespace {

// One TLS file: it must exist, be a regular file and open for reading. Reports at its value.
bool readable_file(Document& doc, ValueReader& values, const Entry& e, std::filesystem::path& out) {
  auto text = values.text(e, "a PEM file path, e.g. \"/etc/ttbridge/tls/cert.pem\"");
  if (!text) return false;
  const std::filesystem::path file = *text;
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (text->empty() || ec || !std::filesystem::exists(status)) {
    doc.report(e.value_mark(),
               fmt::format("{} '{}' does not exist (relative paths start at the working "
                           "directory); name the PEM file, or remove server.tls to serve plain "
                           "HTTP behind a proxy",
                           e.path, file.string()));
    return false;
  }
  if (!std::filesystem::is_regular_file(status)) {
    doc.report(e.value_mark(), fmt::format("{} {} is not a regular file", e.path, file.string()));
    return false;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in.is_open()) {
    doc.report(e.value_mark(),
               fmt::format("cannot read {} {}; check its permissions (the daemon's user must be "
                           "able to read it)",
                           e.path, file.string()));
    return false;
  }
  out = file;
  return true;
}

void read_tls(Document& doc, ValueReader& values, const Entry& tls_entry, ServerSettings& server) {
  MapView tls(doc, tls_entry.value, tls_entry.key_node.Mark(), tls_entry.path,
              {"cert_file", "key_file"});
  if (!tls.is_map()) return;
  const Entry* cert = tls.find("cert_file");
  const Entry* key = tls.find("key_file");
  if ((cert == nullptr) != (key == nullptr)) {
    doc.report(tls_entry.key_node.Mark(),
               fmt::format("server.tls needs both cert_file and key_file; add {}, or remove "
                           "server.tls to serve plain HTTP behind a proxy",
                           cert == nullptr ? "cert_file: \"/etc/ttbridge/tls/cert.pem\""
                                           : "key_file: \"/etc/ttbridge/tls/key.pem\""));
    return;
  }
  if (cert == nullptr) return;  // `tls:` with neither key: plain HTTP
  std::filesystem::path cert_file;
  std::filesystem::path key_file;
  const bool cert_ok = readable_file(doc, values, *cert, cert_file);
  const bool key_ok = readable_file(doc, values, *key, key_file);
  if (cert_ok && key_ok) {
    server.tls_cert_file = cert_file;
    server.tls_key_file = key_file;
  }
}

}  // namespace

std::vector<std::string_view> server_connection_keys() {
  return {"io_threads",
          "header_timeout_ms",
          "request_timeout_ms",
          "idle_timeout_s",
          "max_connections",
          "max_connections_per_ip",
          "tls"};
}

void read_server_connections(Document& doc, ValueReader& values, const MapView& map,
                             ServerSettings& server) {
  if (const Entry* e = map.find("io_threads")) {
    if (auto n = values.integer(*e, 1, 256)) server.io_threads = static_cast<unsigned>(*n);
  }
  if (const Entry* e = map.find("header_timeout_ms")) {
    if (auto n = values.integer(*e, 100, 600000)) server.header_timeout_ms = static_cast<int>(*n);
  }
  if (const Entry* e = map.find("request_timeout_ms")) {
    if (auto n = values.integer(*e, 100, 3600000)) {
      server.request_timeout_ms = static_cast<int>(*n);
    }
  }
  if (const Entry* e = map.find("idle_timeout_s")) {
    if (auto n = values.integer(*e, 1, 86400)) server.idle_timeout_s = static_cast<int>(*n);
  }
  if (const Entry* e = map.find("max_connections")) {
    if (auto n = values.integer(*e, 1, 1000000)) {
      server.max_connections = static_cast<std::size_t>(*n);
    }
  }
  if (const Entry* e = map.find("max_connections_per_ip")) {
    if (auto n = values.integer(*e, 1, 1000000)) {
      server.max_connections_per_ip = static_cast<std::size_t>(*n);
    }
  }
  if (const Entry* e = map.find("tls")) read_tls(doc, values, *e, server);
}

}  // namespace ttb::config
