#pragma once
// Whether a plugin file may be loaded at all: the daemon runs its code, so only root or the
// daemon's own user may be able to change it, or to swap it in its directory. See
// docs/security.md, "Plugin files".

#include <filesystem>
#include <string>

namespace ttb::plugins {

// "" when `file` (its target when it is a symlink) and the directory holding it are owned by
// root or by this process's effective user and are writable by neither group nor others; else
// what is wrong, naming the file or directory and the fix.
std::string untrusted_plugin_file(const std::filesystem::path& file);

}  // namespace ttb::plugins
