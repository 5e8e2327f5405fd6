#include "loopback.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <thread>

#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

namespace ttb::net::testing {

void Gate::open() {
  {
    std::lock_guard lock(mutex_);
    open_ = true;
  }
  changed_.notify_all();
}

bool Gate::wait(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, limit, [this] { return open_; });
}

bool Gate::is_open() {
  std::lock_guard lock(mutex_);
  return open_;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(2ms);  // a poll interval, not a timing assumption
  }
  return condition();
}

unsigned short closed_port() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  const unsigned short port = socket.address().port();
  socket.close();
  return port;
}

LoopbackServer::LoopbackServer(std::shared_ptr<Router> router, ServerOptions options,
                               RequestObserver observer) {
  options.host = "127.0.0.1";
  options.port = 0;
  server_ = make_http_server(options, std::move(router), std::move(observer));
  server_->start();
  port_ = server_->port();
}

LoopbackServer::~LoopbackServer() {
  server_->stop(0ms);
}

std::string LoopbackServer::url(const std::string& path_etc) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path_etc;
}

RawConnection::RawConnection(unsigned short port)
    : socket_(Poco::Net::SocketAddress("127.0.0.1", port)) {
  socket_.setReceiveTimeout(Poco::Timespan(10, 0));
}

void RawConnection::send(const std::string& bytes) {
  socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
}

void RawConnection::finish_sending() {
  socket_.shutdownSend();
}

bool RawConnection::fill() {
  char buf[8192];
  try {
    const int n = socket_.receiveBytes(buf, sizeof buf);
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<std::size_t>(n));
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

RawResponse RawConnection::read_response() {
  RawResponse response;
  std::size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) {
      response.error = "connection ended before a complete response head; got: " + buffer_;
      return response;
    }
  }
  const std::string head = buffer_.substr(0, head_end);
  buffer_.erase(0, head_end + 4);

  std::size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) {
    response.error = "bad status line: " + status_line;
    return response;
  }
  response.status = std::stoi(status_line.substr(9, 3));
  while (line_end != std::string::npos) {
    const std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string line =
        head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    response.headers[name] = value;
  }

  const auto length = response.headers.find("content-length");
  const std::size_t want = length == response.headers.end() ? 0 : std::stoul(length->second);
  while (buffer_.size() < want) {
    if (!fill()) {
      response.error = "connection ended inside the body";
      return response;
    }
  }
  response.body = buffer_.substr(0, want);
  buffer_.erase(0, want);
  return response;
}

bool RawConnection::closed_by_server() {
  if (!buffer_.empty()) return false;
  char c;
  try {
    return socket_.receiveBytes(&c, 1) == 0;
  } catch (const Poco::Net::ConnectionResetException&) {
    return true;
  } catch (const Poco::Exception&) {
    return false;  // timeout: still open
  }
}

TestCertificate::TestCertificate() {
  static std::atomic<int> serial{0};
  dir_ = std::filesystem::temp_directory_path() /
         ("ttb-cert-" + std::to_string(::getpid()) + "-" + std::to_string(serial++));
  std::filesystem::create_directories(dir_);
  std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1";
  command += " -addext subjectAltName=IP:127.0.0.1 -keyout '";
  command += key_file();
  command += "' -out '";
  command += cert_file();
  command += "' >/dev/null 2>&1";
  made_ = std::system(command.c_str()) == 0;
}

TestCertificate::~TestCertificate() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

ScriptedServer::ScriptedServer(std::vector<std::string> replies,
                               std::chrono::milliseconds byte_pause, bool at_first_bytes)
    : replies_(std::move(replies)),
      byte_pause_(byte_pause),
      at_first_bytes_(at_first_bytes),
      socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
  port_ = socket_.address().port();
  thread_ = std::thread([this] { run(); });
}

ScriptedServer::~ScriptedServer() {
  stopping_ = true;
  thread_.join();
}

std::string ScriptedServer::url(const std::string& path_etc) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path_etc;
}

void ScriptedServer::run() {
  std::size_t served = 0;
  while (!stopping_) {
    // Polling keeps the destructor from waiting on a blocked accept.
    if (!socket_.poll(Poco::Timespan(0, 20000), Poco::Net::Socket::SELECT_READ)) continue;
    Poco::Net::StreamSocket conn = socket_.acceptConnection();
    if (served < replies_.size()) {
      conn.setReceiveTimeout(Poco::Timespan(10, 0));
      std::string head;
      char buf[4096];
      try {
        while (head.find("\r\n\r\n") == std::string::npos) {
          const int n = conn.receiveBytes(buf, sizeof buf);
          if (n <= 0) break;
          head.append(buf, static_cast<std::size_t>(n));
          if (at_first_bytes_) break;
        }
        const std::string& reply = replies_[served];
        if (byte_pause_.count() == 0) {
          conn.sendBytes(reply.data(), static_cast<int>(reply.size()));
        } else {
          for (std::size_t i = 0; i < reply.size() && !stopping_; ++i) {
            conn.sendBytes(reply.data() + i, 1);
            std::this_thread::sleep_for(byte_pause_);
          }
        }
      } catch (const Poco::Exception&) {
      }
      ++served;
    }
    conn.close();
    ++closed_;
  }
}

}  // namespace ttb::net::testing
