#include "daemon_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

namespace ttb::testing {

std::filesystem::path binary_dir() {
  return TTB_TEST_BIN_DIR;
}
std::filesystem::path plugin_dir() {
  return TTB_TEST_PLUGIN_DIR;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

DaemonProcess::DaemonProcess(std::filesystem::path config, std::filesystem::path workdir,
                             std::vector<std::pair<std::string, std::string>> env,
                             std::filesystem::path binary)
    : config_(std::move(config)),
      workdir_(std::move(workdir)),
      binary_(binary.empty() ? binary_dir() / "ttbridged" : std::move(binary)),
      env_(std::move(env)) {
  log_path_ = workdir_ / "ttbridged.log";
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0 && !exit_status_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

bool DaemonProcess::start(std::chrono::milliseconds timeout) {
  const std::string binary = binary_.string();
  const std::string config = config_.string();
  const std::string log = log_path_.string();
  pid_ = ::fork();
  if (pid_ == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, STDERR_FILENO);
    ::dup2(fd, STDOUT_FILENO);
    if (::chdir(workdir_.c_str()) != 0) _exit(126);
    for (const auto& [k, v] : env_) ::setenv(k.c_str(), v.c_str(), 1);
    ::execl(binary.c_str(), binary.c_str(), "--config", config.c_str(),
            static_cast<char*>(nullptr));
    _exit(127);
  }
  bool listening = eventually(
      [&] {
        auto lines = events("listening");
        if (!lines.empty()) {
          const auto line = nlohmann::json::parse(lines.front());
          port_ = line.at("port").get<unsigned short>();
          admin_port_ = line.at("admin_port").get<unsigned short>();
          admin_socket_ = line.value("admin_socket", "");
          return true;
        }
        return !running();
      },
      timeout);
  return listening && port_ != 0 && (admin_port_ != 0 || !admin_socket_.empty());
}

std::string DaemonProcess::admin_url() const {
  return "http://127.0.0.1:" + std::to_string(admin_port_);
}

std::string DaemonProcess::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void DaemonProcess::signal(int sig) const {
  ::kill(pid_, sig);
}

bool DaemonProcess::running() {
  if (exit_status_) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  if (r == pid_) {
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  return false;
}

std::optional<int> DaemonProcess::wait_exit(std::chrono::milliseconds timeout) {
  eventually([&] { return !running(); }, timeout);
  return exit_status_;
}

std::string DaemonProcess::log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> DaemonProcess::events(const std::string& event) const {
  std::vector<std::string> out;
  std::istringstream lines(log());
  std::string line;
  while (std::getline(lines, line)) {
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    if (parsed.is_object() && parsed.value("event", "") == event) out.push_back(line);
  }
  return out;
}

}  // namespace ttb::testing
