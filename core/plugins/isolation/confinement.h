#pragma once
// Confinement of a plugin's child process: what a plugin that runs in a process of its own may
// still do. One call, made in the child after fork and before exec or first thing in the host
// binary's main, before any plugin code runs: no new privileges, resource limits, no inherited
// descriptors but the named ones, optionally a seccomp allow-list without network sockets of its
// own, optionally another user. See docs/security.md, "Plugin processes".

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ttb::plugins::isolation {

struct ConfinementSettings {
  // RLIMIT_AS: the address space, in bytes. A plugin that allocates past it gets ENOMEM (new
  // throws bad_alloc) instead of pushing the host into swap. 0: keep the inherited limit.
  std::uint64_t memory_bytes = std::uint64_t{1} << 30;  // 1 GiB
  // RLIMIT_CPU: CPU seconds over the process's life (SIGXCPU at the limit, SIGKILL 5 s later);
  // the supervisor restarts such a child. 0: keep the inherited limit.
  std::uint64_t cpu_seconds = 3600;
  // RLIMIT_NOFILE: open descriptors. 0: keep the inherited limit.
  std::uint64_t open_files = 256;
  // The descriptors that stay open (the socket to the daemon, stderr for the log, ...); every
  // other inherited descriptor is closed.
  std::vector<int> keep_fds = {2};
  // The seccomp allow-list (confinement.cc): the system calls a plugin host needs, socket()
  // only for AF_UNIX (HTTP goes through the daemon); any other call fails with EPERM.
  bool seccomp = true;
  // Run as this user and group (numbers: resolve names with find_user before fork). Needs root;
  // supplementary groups are dropped. nullopt: stay the daemon's user.
  std::optional<uid_t> uid;
  std::optional<gid_t> gid;
};

// False in AddressSanitizer and ThreadSanitizer builds, whose shadow memory reserves terabytes of
// address space: there apply_confinement leaves RLIMIT_AS alone (memory_bytes is not applied).
bool address_space_limit_applies();

// What apply_confinement did: `failed_step` names the step that failed (nullptr: all applied)
// and `error` is its errno. Plain data, so the child can report it without allocating.
struct ConfinementResult {
  const char* failed_step = nullptr;
  int error = 0;

  bool ok() const { return failed_step == nullptr; }
  std::string describe() const;  // "seccomp: Operation not permitted"; "" when ok
};

// Applies `settings` to the calling process, in this order: close descriptors, drop to the
// user, no-new-privileges, rlimits, seccomp. Stops at the first step that fails. Call it while
// the process has one thread (after fork, or at the top of the host's main): no-new-privileges
// is the calling thread's, and every thread started later inherits all of it. It allocates
// (libseccomp builds the filter), which glibc allows in the child of a threaded parent.
ConfinementResult apply_confinement(const ConfinementSettings& settings);

// The uid and gid of user `name` (for ConfinementSettings), or nullopt and `error`.
std::optional<std::pair<uid_t, gid_t>> find_user(const std::string& name, std::string& error);

}  // namespace ttb::plugins::isolation
