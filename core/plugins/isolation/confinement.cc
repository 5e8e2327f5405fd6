#include "plugins/isolation/confinement.h"

#include <grp.h>
#include <pwd.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

namespace ttb::plugins::isolation {
namespace {

// What a plugin host needs: memory, threads and their synchronisation, time, signals, files it
// opens itself (its own .so and what the dynamic loader reads), descriptors it already has (the
// socket to the daemon), polling, and exec of the host binary when applied before exec. Names
// the running kernel's architecture does not have are skipped.
constexpr const char* kAllowed[] = {
    // memory
    "brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "mlock", "munlock", "membarrier",
    // threads, futexes, scheduling
    "clone", "clone3", "futex", "futex_waitv", "set_robust_list", "get_robust_list",
    "set_tid_address", "rseq", "sched_yield", "sched_getaffinity", "sched_setaffinity",
    "sched_getparam", "sched_getscheduler", "gettid", "getpid", "getppid", "tgkill", "tkill",
    "exit", "exit_group", "wait4", "waitid", "restart_syscall", "arch_prctl", "prctl",
    // time
    "clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep", "gettimeofday", "time",
    "timerfd_create", "timerfd_settime", "timerfd_gettime",
    // signals
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigtimedwait", "rt_sigpending",
    "sigaltstack",
    // descriptors and files
    "read", "write", "readv", "writev", "pread64", "pwrite64", "close", "close_range", "dup",
    "dup2", "dup3", "fcntl", "ioctl", "lseek", "open", "openat", "openat2", "stat", "fstat",
    "lstat", "newfstatat", "statx", "access", "faccessat", "faccessat2", "readlink", "readlinkat",
    "getcwd", "getdents64", "pipe", "pipe2", "eventfd2", "fsync", "fdatasync", "ftruncate", "flock",
    "memfd_create",
    // polling
    "poll", "ppoll", "select", "pselect6", "epoll_create", "epoll_create1", "epoll_ctl",
    "epoll_wait", "epoll_pwait", "epoll_pwait2",
    // the socket to the daemon (socket() itself is allowed for AF_UNIX only, below)
    "socketpair", "sendmsg", "recvmsg", "sendto", "recvfrom", "shutdown", "getsockopt",
    "setsockopt", "getsockname", "getpeername",
    // identity, limits, randomness, system facts
    "getuid", "geteuid", "getgid", "getegid", "getresuid", "getresgid", "getgroups", "getrlimit",
    "prlimit64", "getrusage", "getrandom", "uname", "sysinfo",
    // exec of the host binary, when applied between fork and exec
    "execve", "execveat"};

// The allow-list, loaded into the kernel. Any other call fails with EPERM: a plugin sees an
// error it can report rather than a kill it cannot.
ConfinementResult load_seccomp() {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
  if (!ctx) return {"seccomp_init", ENOMEM};
  int rc = 0;
  for (const char* name : kAllowed) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;
    rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
    if (rc < 0) break;
  }
  // Network only through the daemon: a socket of its own may be a Unix one, nothing else.
  if (rc == 0) {
    scmp_arg_cmp unix_only{};  // the first argument (the domain) equals AF_UNIX
    unix_only.arg = 0;
    unix_only.op = SCMP_CMP_EQ;
    unix_only.datum_a = static_cast<scmp_datum_t>(AF_UNIX);
    rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, &unix_only);
  }
  if (rc == 0) rc = seccomp_load(ctx);
  seccomp_release(ctx);
  if (rc < 0) return {"seccomp", -rc};
  return {};
}

ConfinementResult set_limit(int resource, std::uint64_t value, std::uint64_t hard_extra,
                            const char* step) {
  if (value == 0) return {};
  rlimit current{};
  if (::getrlimit(resource, &current) != 0) return {step, errno};
  const rlim_t want = static_cast<rlim_t>(value);
  // Never above what the process already has: only root could raise a hard limit.
  rlimit limit{std::min(want, current.rlim_max),
               std::min(static_cast<rlim_t>(want + hard_extra), current.rlim_max)};
  if (::setrlimit(resource, &limit) != 0) return {step, errno};
  return {};
}

// Closes descriptors first..last; close_range in one call, or one close() each on a kernel
// older than 5.9.
ConfinementResult close_between(unsigned int first, unsigned int last) {
  if (::syscall(SYS_close_range, first, last, 0) == 0) return {};
  if (errno != ENOSYS) return {"close_range", errno};
  rlimit open_files{};
  if (::getrlimit(RLIMIT_NOFILE, &open_files) != 0) return {"close_range", errno};
  const auto end = std::min<rlim_t>(open_files.rlim_cur, static_cast<rlim_t>(last) + 1);
  for (rlim_t fd = first; fd < end; ++fd) ::close(static_cast<int>(fd));
  return {};
}

// Closes every inherited descriptor but those in `keep`.
ConfinementResult close_inherited(std::vector<int> keep) {
  std::sort(keep.begin(), keep.end());
  unsigned int from = 0;
  for (const int fd : keep) {
    if (fd < 0 || static_cast<unsigned int>(fd) < from) continue;
    if (static_cast<unsigned int>(fd) > from) {
      if (auto r = close_between(from, static_cast<unsigned int>(fd) - 1); !r.ok()) return r;
    }
    from = static_cast<unsigned int>(fd) + 1;
  }
  return close_between(from, UINT_MAX);
}

}  // namespace

std::string ConfinementResult::describe() const {
  if (ok()) return "";
  std::string text = failed_step;
  text += ": ";
  text += std::strerror(error);
  return text;
}

bool address_space_limit_applies() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return false;
#else
  return true;
#endif
#else
  return true;
#endif
}

ConfinementResult apply_confinement(const ConfinementSettings& settings) {
  if (auto r = close_inherited(settings.keep_fds); !r.ok()) return r;
  if (settings.gid) {
    if (::setgroups(0, nullptr) != 0) return {"setgroups", errno};
    if (::setresgid(*settings.gid, *settings.gid, *settings.gid) != 0) return {"setgid", errno};
  }
  if (settings.uid && ::setresuid(*settings.uid, *settings.uid, *settings.uid) != 0) {
    return {"setuid", errno};
  }
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return {"no_new_privs", errno};
  if (address_space_limit_applies()) {
    if (auto r = set_limit(RLIMIT_AS, settings.memory_bytes, 0, "rlimit_as"); !r.ok()) return r;
  }
  if (auto r = set_limit(RLIMIT_CPU, settings.cpu_seconds, 5, "rlimit_cpu"); !r.ok()) return r;
  if (auto r = set_limit(RLIMIT_NOFILE, settings.open_files, 0, "rlimit_nofile"); !r.ok()) {
    return r;
  }
  if (settings.seccomp) return load_seccomp();
  return {};
}

std::optional<std::pair<uid_t, gid_t>> find_user(const std::string& name, std::string& error) {
  passwd entry{};
  passwd* found = nullptr;
  std::vector<char> buffer(16384);
  const int rc = ::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
  if (rc != 0 || !found) {
    error = "no user named '" + name + "' on this system" +
            (rc != 0 ? std::string(": ") + std::strerror(rc) : std::string());
    return std::nullopt;
  }
  return std::make_pair(found->pw_uid, found->pw_gid);
}

}  // namespace ttb::plugins::isolation
