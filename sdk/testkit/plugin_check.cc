// Runs the checks of checks.cc, by default in a forked child process: a plugin that segfaults,
// aborts or blocks forever can then be reported ("FAIL crash: ...") instead of killing the
// caller. The child streams its finding lines through a pipe; the parent forwards them.

#include "testkit/plugin_check.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "testkit/checks.h"

namespace ttb::testkit {
namespace {

void write_all(int fd, const std::string& s) {
  const char* p = s.data();
  std::size_t left = s.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

int run_in_process(const std::filesystem::path& so, const std::string& config, std::ostream& out,
                   const CheckOptions& options) {
  std::mutex mu;
  auto sink = [&](const std::string& line) {
    if (!line.empty() && line[0] == '@') return;
    std::lock_guard lock(mu);
    out << line << '\n' << std::flush;
  };
  // In-process there is no way to stop a blocked plugin; the line above is all we can do.
  return run_checks(so, config, options, sink, [] {});
}

int run_isolated(const std::filesystem::path& so, const std::string& config, std::ostream& out,
                 const CheckOptions& options) {
  int fds[2];
  if (::pipe(fds) != 0) {
    out << "FAIL kit: cannot create a pipe: " << std::strerror(errno) << '\n';
    return 1;
  }
  out << std::flush;
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    out << "FAIL kit: cannot fork: " << std::strerror(errno) << '\n';
    return 1;
  }
  if (pid == 0) {  // child: run the checks, write lines, never return into the caller's code
    ::close(fds[0]);
    const int fd = fds[1];
    std::mutex mu;
    auto sink = [fd, &mu](const std::string& line) {
      std::lock_guard lock(mu);
      write_all(fd, line + "\n");
    };
    int rc = 1;
    try {
      rc = run_checks(so, config, options, sink, [] { ::_exit(1); });
    } catch (const std::exception& e) {
      sink(std::string("FAIL kit: ") + e.what());
    }
    ::_exit(rc);
  }
  ::close(fds[1]);

  std::string buffer, stage = "load", last_fail;
  bool saw_result = false, saw_fail = false, timed_out = false;
  auto deadline = std::chrono::steady_clock::now() + options.total_limit;
  auto handle_line = [&](const std::string& line) {
    if (line.rfind("@stage ", 0) == 0) {
      stage = line.substr(7);
      return;
    }
    if (line.rfind("RESULT ", 0) == 0) saw_result = true;
    if (line.rfind("FAIL ", 0) == 0) saw_fail = true;
    out << line << '\n' << std::flush;
  };
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    char chunk[4096];
    ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the child exited (or closed the pipe)
    buffer.append(chunk, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = buffer.find('\n')) != std::string::npos;) {
      handle_line(buffer.substr(0, nl));
      buffer.erase(0, nl + 1);
    }
  }
  ::close(fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!buffer.empty()) handle_line(buffer);

  if (timed_out) {
    out << "FAIL hang: the checks did not finish within " << options.total_limit.count()
        << " ms (stuck in " << stage << "); the plugin blocks or loops\n";
  } else if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    out << "FAIL crash: the plugin crashed with signal " << sig << " (" << ::strsignal(sig)
        << ") during " << stage << "; bad input must complete with a status, never crash\n";
  } else if (!saw_result && !saw_fail) {
    out << "FAIL crash: the check process ended with exit code "
        << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << " during " << stage
        << " (the plugin aborted or exited)\n";
  }
  const bool ok =
      !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0 && saw_result && !saw_fail;
  if (!saw_result) out << "RESULT FAIL: the checks did not run to the end\n";
  return ok ? 0 : 1;
}

}  // namespace

int run_plugin_check(const std::filesystem::path& so, const std::string& config_json,
                     std::ostream& out) {
  return run_plugin_check(so, config_json, out, CheckOptions{});
}

int run_plugin_check(const std::filesystem::path& so, const std::string& config_json,
                     std::ostream& out, const CheckOptions& options) {
  try {
    return options.isolate ? run_isolated(so, config_json, out, options)
                           : run_in_process(so, config_json, out, options);
  } catch (const std::exception& e) {
    out << "FAIL kit: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace ttb::testkit
