#include "plugins/internal/file_trust.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace ttb::plugins {
namespace {

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// "" when `path` is owned by root or this user and not writable by group or others.
std::string untrusted(const std::filesystem::path& path, const char* what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return std::string("cannot check the ") + what + " " + path.string() + ": " +
           std::strerror(errno);
  }
  const uid_t self = ::geteuid();
  if (st.st_uid != 0 && st.st_uid != self) {
    return std::string("refusing the ") + what + " " + path.string() + ": it is owned by uid " +
           std::to_string(st.st_uid) + ", not by root or the daemon's user (uid " +
           std::to_string(self) + "); chown it to one of them";
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return std::string("refusing the ") + what + " " + path.string() + ": it is writable by " +
           ((st.st_mode & S_IWOTH) != 0 ? "others" : "its group") + " (mode " +
           octal_mode(st.st_mode) + "); run chmod go-w on it";
  }
  return "";
}

}  // namespace

std::string untrusted_plugin_file(const std::filesystem::path& file) {
  std::error_code ec;
  std::filesystem::path target = std::filesystem::canonical(file, ec);
  if (ec) target = std::filesystem::absolute(file, ec);
  if (auto problem = untrusted(target, "plugin file"); !problem.empty()) return problem;
  return untrusted(target.parent_path(), "plugin directory");
}

}  // namespace ttb::plugins
