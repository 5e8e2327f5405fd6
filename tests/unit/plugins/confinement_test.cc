// The confinement of a plugin's child process, checked from inside: each test forks a child,
// applies the settings there, and the child reports what it can still do through a pipe (the one
// descriptor it keeps).

#include "plugins/isolation/confinement.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <functional>
#include <map>
#include <string>

#include <gtest/gtest.h>

namespace ttb::plugins::isolation {
namespace {

// What the child reports: "key=value" lines.
using Report = std::map<std::string, std::string>;

class Reporter {
 public:
  explicit Reporter(int fd) : fd_(fd) {}
  void add(const char* key, long long value) const {
    char line[128];
    const int n = std::snprintf(line, sizeof(line), "%s=%lld\n", key, value);
    // A lost report line fails the test's expectations; the write's own result adds nothing.
    if (n > 0 && ::write(fd_, line, static_cast<std::size_t>(n)) < 0) return;
  }

 private:
  int fd_;
};

// Forks, applies `settings` (keeping the report pipe) in the child, runs `probe` there and
// returns what it reported; "confined" is 1 when apply_confinement succeeded.
Report run_confined(ConfinementSettings settings,
                    const std::function<void(const Reporter&)>& probe) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipe_fds[0]);
    settings.keep_fds.push_back(pipe_fds[1]);
    const Reporter reporter(pipe_fds[1]);
    const ConfinementResult result = apply_confinement(settings);
    reporter.add("confined", result.ok() ? 1 : 0);
    reporter.add("error", result.error);
    if (result.ok()) probe(reporter);
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string text;
  char buffer[512];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof(buffer))) > 0;) {
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  Report report;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string line = text.substr(start, end - start);
    const auto eq = line.find('=');
    if (eq != std::string::npos) report[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return report;
}

ConfinementSettings without_seccomp() {
  ConfinementSettings s;
  s.seccomp = false;
  return s;
}

TEST(Confinement, SetsNoNewPrivilegesAndTheLimits) {
  ConfinementSettings s = without_seccomp();
  s.memory_bytes = 512ULL << 20;
  s.cpu_seconds = 60;
  s.open_files = 64;
  auto report = run_confined(s, [](const Reporter& r) {
    r.add("no_new_privs", ::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    rlimit limit{};
    ::getrlimit(RLIMIT_AS, &limit);
    r.add("as", static_cast<long long>(limit.rlim_cur));
    ::getrlimit(RLIMIT_CPU, &limit);
    r.add("cpu", static_cast<long long>(limit.rlim_cur));
    r.add("cpu_hard", static_cast<long long>(limit.rlim_max));
    ::getrlimit(RLIMIT_NOFILE, &limit);
    r.add("nofile", static_cast<long long>(limit.rlim_cur));
  });
  ASSERT_EQ(report["confined"], "1") << "errno " << report["error"];
  EXPECT_EQ(report["no_new_privs"], "1");
  if (address_space_limit_applies()) {
    EXPECT_EQ(report["as"], std::to_string(512LL << 20));
  } else {  // a sanitizer build: the child keeps the limit it inherited
    rlimit inherited{};
    ::getrlimit(RLIMIT_AS, &inherited);
    EXPECT_EQ(report["as"], std::to_string(static_cast<long long>(inherited.rlim_cur)));
  }
  EXPECT_EQ(report["cpu"], "60");
  EXPECT_EQ(report["cpu_hard"], "65");
  EXPECT_EQ(report["nofile"], "64");
}

TEST(Confinement, ClosesEveryInheritedDescriptorButTheNamedOnes) {
  const int leaked = ::open("/dev/null", O_RDONLY);  // no O_CLOEXEC: it would be inherited
  const int kept = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(leaked, 0);
  ASSERT_GE(kept, 0);
  ConfinementSettings s = without_seccomp();
  s.keep_fds = {kept};
  auto report = run_confined(s, [&](const Reporter& r) {
    r.add("leaked_open", ::fcntl(leaked, F_GETFD) != -1 ? 1 : 0);
    r.add("kept_open", ::fcntl(kept, F_GETFD) != -1 ? 1 : 0);
    r.add("stderr_open", ::fcntl(2, F_GETFD) != -1 ? 1 : 0);
  });
  ::close(leaked);
  ::close(kept);
  ASSERT_EQ(report["confined"], "1") << "errno " << report["error"];
  EXPECT_EQ(report["leaked_open"], "0");
  EXPECT_EQ(report["kept_open"], "1");
  EXPECT_EQ(report["stderr_open"], "0") << "stderr too, unless named";
}

TEST(Confinement, SeccompRefusesNetworkSocketsButNotUnixOnes) {
  ConfinementSettings s;  // the defaults: seccomp on
  auto report = run_confined(s, [](const Reporter& r) {
    errno = 0;
    const int inet = ::socket(AF_INET, SOCK_STREAM, 0);
    r.add("inet", inet);
    r.add("inet_errno", errno);
    errno = 0;
    const int inet6 = ::socket(AF_INET6, SOCK_DGRAM, 0);
    r.add("inet6", inet6);
    r.add("inet6_errno", errno);
    r.add("unix_ok", ::socket(AF_UNIX, SOCK_STREAM, 0) >= 0 ? 1 : 0);
    int pair[2];
    r.add("socketpair_ok", ::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0 ? 1 : 0);
    r.add("pid_ok", ::getpid() > 0 ? 1 : 0);
  });
  ASSERT_EQ(report["confined"], "1") << "errno " << report["error"];
  EXPECT_EQ(report["inet"], "-1");
  EXPECT_TRUE(report["inet_errno"] == std::to_string(EPERM) ||
              report["inet_errno"] == std::to_string(EACCES))
      << report["inet_errno"];
  EXPECT_EQ(report["inet6"], "-1");
  EXPECT_EQ(report["inet6_errno"], std::to_string(EPERM));
  EXPECT_EQ(report["unix_ok"], "1");
  EXPECT_EQ(report["socketpair_ok"], "1");
  EXPECT_EQ(report["pid_ok"], "1");
}

TEST(Confinement, RunsAsTheConfiguredUserWhenRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "changing user needs root";
  ConfinementSettings s = without_seccomp();
  s.uid = 65534;
  s.gid = 65534;
  auto report = run_confined(s, [](const Reporter& r) {
    r.add("uid", ::getuid());
    r.add("euid", ::geteuid());
    r.add("gid", ::getgid());
    r.add("groups", ::getgroups(0, nullptr));
    r.add("back_to_root", ::setuid(0) == 0 ? 1 : 0);
  });
  ASSERT_EQ(report["confined"], "1") << "errno " << report["error"];
  EXPECT_EQ(report["uid"], "65534");
  EXPECT_EQ(report["euid"], "65534");
  EXPECT_EQ(report["gid"], "65534");
  EXPECT_EQ(report["groups"], "0");
  EXPECT_EQ(report["back_to_root"], "0");
}

TEST(Confinement, RefusesToChangeUserWithoutRoot) {
  if (::geteuid() == 0) GTEST_SKIP() << "root may change user";
  ConfinementSettings s = without_seccomp();
  s.uid = ::getuid() + 1;
  s.gid = ::getgid() + 1;
  auto report = run_confined(s, [](const Reporter&) {});
  EXPECT_EQ(report["confined"], "0");
  EXPECT_EQ(report["error"], std::to_string(EPERM));
}

TEST(Confinement, DescribesTheStepThatFailed) {
  EXPECT_EQ(ConfinementResult{}.describe(), "");
  EXPECT_EQ((ConfinementResult{"setuid", EPERM}.describe()), "setuid: Operation not permitted");
}

TEST(Confinement, FindsAUserOrSaysItIsMissing) {
  std::string error;
  auto root = find_user("root", error);
  ASSERT_TRUE(root) << error;
  EXPECT_EQ(root->first, 0u);
  EXPECT_FALSE(find_user("no-such-user-ttb", error));
  EXPECT_NE(error.find("no-such-user-ttb"), std::string::npos);
}

}  // namespace
}  // namespace ttb::plugins::isolation
