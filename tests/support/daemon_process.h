#pragma once
// Runs the real ttbridged binary as a child process for integration tests: starts it on a config,
// learns its ports (public and admin) from the "listening" log line, sends signals, waits for exit,
// reads its log.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ttb::testing {

std::filesystem::path binary_dir();  // where ttbridged and ttbridge were built
std::filesystem::path plugin_dir();  // where build/plugins/*.so are

// Polls `condition` every 10 ms until it holds or `timeout` passes; returns the last answer.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(20));

class DaemonProcess {
 public:
  // `binary` defaults to the ttbridged of this build (binary_dir()); the package test passes the
  // one unpacked from the .deb.
  DaemonProcess(std::filesystem::path config, std::filesystem::path workdir,
                std::vector<std::pair<std::string, std::string>> env = {},
                std::filesystem::path binary = {});
  ~DaemonProcess();  // SIGKILLs a daemon that is still running

  // Starts the process; returns once it logged "listening" (true) or exited/timed out (false).
  bool start(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  unsigned short port() const { return port_; }
  std::string base_url() const;  // the public listener: http://127.0.0.1:<port>
  unsigned short admin_port() const { return admin_port_; }
  std::string admin_url() const;  // the admin listener (/metrics, /readyz)
  // The admin listener's socket file when admin.listen is "unix:PATH" (PATH as written), else "".
  const std::string& admin_socket() const { return admin_socket_; }
  pid_t pid() const { return pid_; }

  void signal(int sig) const;
  // Waits for the process to exit; returns its exit status (or 128+signal), nullopt on timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  bool running();

  std::string log() const;  // everything it wrote to stderr so far
  // The JSON log lines whose "event" equals `event`.
  std::vector<std::string> events(const std::string& event) const;

 private:
  std::filesystem::path config_;
  std::filesystem::path workdir_;
  std::filesystem::path binary_;
  std::vector<std::pair<std::string, std::string>> env_;
  std::filesystem::path log_path_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  unsigned short admin_port_ = 0;
  std::string admin_socket_;
  std::optional<int> exit_status_;
};

}  // namespace ttb::testing
