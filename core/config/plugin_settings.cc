#include "config/plugin_settings.h"

#include <fmt/format.h>
#include <pwd.h>

#include <cerrno>
#include <cstring>

namespace ttb::config {
namespace {

// The uid and gid of user `name`: nullopt with an empty `error` when no such user exists, or
// with the lookup's error.
std::optional<std::pair<std::uint32_t, std::uint32_t>> lookup_user(const std::string& name,
                                                                   std::string& error) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  const int rc = ::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
  if (rc != 0) error = std::strerror(rc);
  if (found == nullptr) return std::nullopt;
  return std::make_pair(static_cast<std::uint32_t>(found->pw_uid),
                        static_cast<std::uint32_t>(found->pw_gid));
}

void read_user(Document& doc, ValueReader& values, const Entry& e, PluginConfinement& confinement) {
  auto name = values.text(e, "a user name, e.g. \"ttb-plugins\", or \"\" for the daemon's user");
  if (!name) return;
  confinement.user = *name;
  if (name->empty()) return;
  std::string error;
  if (auto ids = lookup_user(*name, error)) {
    confinement.uid = ids->first;
    confinement.gid = ids->second;
    return;
  }
  doc.report(e.value_mark(),
             error.empty()
                 ? fmt::format("{}: there is no user '{}' on this machine; create it (e.g. "
                               "`useradd --system {}`) or write \"\" to run plugins as the "
                               "daemon's user",
                               e.path, *name, *name)
                 : fmt::format("{}: cannot look up user '{}' ({})", e.path, *name, error));
}

}  // namespace

std::vector<std::string_view> plugin_confinement_keys() {
  return {"memory_mb", "cpu_seconds", "open_files", "seccomp", "user"};
}

void read_plugin_confinement(Document& doc, ValueReader& values, const MapView& map,
                             PluginConfinement& confinement) {
  if (const Entry* e = map.find("memory_mb")) {
    if (auto n = values.integer(*e, 0, 1024LL * 1024)) confinement.memory_mb = *n;
  }
  if (const Entry* e = map.find("cpu_seconds")) {
    if (auto n = values.integer(*e, 0, 365LL * 24 * 3600)) confinement.cpu_seconds = *n;
  }
  if (const Entry* e = map.find("open_files")) {
    if (auto n = values.integer(*e, 0, 1024LL * 1024)) confinement.open_files = *n;
  }
  if (const Entry* e = map.find("seccomp")) {
    if (auto on = values.boolean(*e)) confinement.seccomp = *on;
  }
  if (const Entry* e = map.find("user")) read_user(doc, values, *e, confinement);
}

}  // namespace ttb::config
