#include "load.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <iomanip>
#include <stdexcept>

namespace ttb::bench {
namespace {

using Clock = std::chrono::steady_clock;

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Connection {
  int fd = -1;
  bool busy = false;
  Clock::time_point started;  // scheduled (open loop) or actual (closed loop) send time
  Clock::time_point sent;     // actual send time: later than `started` when the generator lags
  const std::string* out = nullptr;
  std::size_t written = 0;
  std::string in;
};

int open_connection(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 && errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Returns the whole response's length once `in` holds one, 0 while incomplete, -1 if garbled.
long complete_response(const std::string& in, int& status) {
  auto end = in.find("\r\n\r\n");
  if (end == std::string::npos) return 0;
  if (in.size() < 12 || in.compare(0, 5, "HTTP/") != 0) return -1;
  status = std::atoi(in.c_str() + 9);
  long length = 0;
  std::size_t pos = in.find("\r\n") + 2;
  while (pos < end) {
    std::size_t eol = in.find("\r\n", pos);
    if (eol - pos > 15 && strncasecmp(in.c_str() + pos, "content-length:", 15) == 0) {
      length = std::atol(in.c_str() + pos + 15);
    }
    pos = eol + 2;
  }
  const long total = static_cast<long>(end) + 4 + length;
  return static_cast<long>(in.size()) >= total ? total : 0;
}

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// One 2xx answer, in ms: when its request was due (from the start), how long the answer took
// from then, and how late the generator itself sent the request.
struct Answer {
  double due_ms, latency_ms, send_lag_ms;
};

void write_latency_log(const std::string& path, Clock::time_point t0,
                       const std::vector<Answer>& answers) {
  std::ofstream out(path);
  out << std::fixed << std::setprecision(3);
  // The start on CLOCK_MONOTONIC, to line the log up with another process's timestamps.
  out << "# t0_monotonic_ms " << ms(t0.time_since_epoch()) << '\n';
  for (const Answer& a : answers)
    out << a.due_ms << ' ' << a.latency_ms << ' ' << a.send_lag_ms << '\n';
  if (!out) throw std::runtime_error("cannot write the latency log " + path);
}

}  // namespace

LoadResult run_load(const std::vector<std::string>& requests, const LoadOptions& options) {
  LoadResult result;
  const double cpu_start = thread_cpu_seconds();
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) throw std::runtime_error("epoll_create1 failed");

  std::vector<Connection> conns(std::max(1u, options.connections));
  std::deque<std::size_t> idle;
  for (std::size_t i = 0; i < conns.size(); ++i) {
    conns[i].fd = open_connection(options.port);
    if (conns[i].fd < 0) throw std::runtime_error("cannot connect to 127.0.0.1");
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = i;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
    idle.push_back(i);
  }

  std::vector<Answer> answers;
  answers.reserve(requests.size());
  const Clock::time_point t0 = Clock::now();
  const Clock::time_point send_deadline = t0 + options.max_duration;
  const Clock::time_point hard_deadline = send_deadline + std::chrono::seconds(5);
  Clock::time_point last_answer = t0;
  std::size_t next = 0, in_flight = 0;
  const bool open_loop = options.rate > 0;
  auto scheduled = [&](std::size_t k) {
    return t0 + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(static_cast<double>(k) / options.rate));
  };

  auto fail = [&](const std::string& what) {
    ++result.failed;
    if (result.first_error.empty()) result.first_error = what;
  };
  auto flush = [&](Connection& c) {
    while (c.written < c.out->size()) {
      ssize_t n = ::send(c.fd, c.out->data() + c.written, c.out->size() - c.written, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) return true;
        return false;
      }
      c.written += static_cast<std::size_t>(n);
    }
    return true;
  };
  auto reconnect = [&](std::size_t i) {
    Connection& c = conns[i];
    ::epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
    c = Connection{};
    c.fd = open_connection(options.port);
    if (c.fd < 0) return false;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = i;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
    return true;
  };

  std::vector<epoll_event> events(conns.size());
  while (true) {
    const Clock::time_point now = Clock::now();
    const bool may_send = next < requests.size() && now < send_deadline;
    if (!may_send && in_flight == 0) break;
    if (now > hard_deadline) {
      for (std::size_t k = 0; k < in_flight; ++k) fail("no answer within 5 s after the run");
      break;
    }
    // Start every request that is due and has a free connection.
    while (may_send && next < requests.size() && !idle.empty()) {
      Clock::time_point due = open_loop ? scheduled(next) : now;
      if (due > Clock::now()) break;
      std::size_t i = idle.front();
      idle.pop_front();
      Connection& c = conns[i];
      c.busy = true;
      c.sent = Clock::now();
      c.started = open_loop ? due : c.sent;
      c.out = &requests[next++];
      c.written = 0;
      ++result.sent;
      ++in_flight;
      if (!flush(c)) {
        fail(std::string("send: ") + std::strerror(errno));
        --in_flight;
        if (reconnect(i)) idle.push_back(i);
      } else if (c.written < c.out->size()) {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
        ev.data.u64 = i;
        ::epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
      }
    }
    // Sleep until the next scheduled send, to the nanosecond: in milliseconds, a wait under 1 ms
    // (every wait above 1,000 requests a second) rounds to 0 and the generator spins, taking a
    // core from the daemon it measures.
    auto wait = std::chrono::nanoseconds(std::chrono::milliseconds(50));
    if (open_loop && may_send && next < requests.size() && !idle.empty()) {
      wait = std::clamp<std::chrono::nanoseconds>(scheduled(next) - Clock::now(),
                                                  std::chrono::nanoseconds(0), wait);
    }
    const timespec timeout{0, static_cast<long>(wait.count())};
    int n = ::epoll_pwait2(ep, events.data(), static_cast<int>(events.size()), &timeout, nullptr);
    if (n < 0 && errno == ENOSYS) {  // a kernel before 5.11: whole milliseconds, rounded up
      const auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
      n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), static_cast<int>(ms));
    }
    for (int e = 0; e < n; ++e) {
      const std::size_t i = events[e].data.u64;
      Connection& c = conns[i];
      if ((events[e].events & EPOLLOUT) && c.busy) {
        if (!flush(c)) {
          fail("send failed");
          --in_flight;
          if (reconnect(i)) idle.push_back(i);
          continue;
        }
        if (c.written == c.out->size()) {
          epoll_event ev{};
          ev.events = EPOLLIN | EPOLLRDHUP;
          ev.data.u64 = i;
          ::epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
        }
      }
      if (!(events[e].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) continue;
      char buf[16384];
      bool closed = false;
      while (true) {
        ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
        if (r > 0) {
          c.in.append(buf, static_cast<std::size_t>(r));
          if (r < static_cast<ssize_t>(sizeof buf)) break;
        } else if (r == 0) {
          closed = true;
          break;
        } else {
          if (errno != EAGAIN && errno != EINTR) closed = true;
          break;
        }
      }
      int status = 0;
      long len = c.busy ? complete_response(c.in, status) : 0;
      if (len < 0) {
        fail("garbled response");
        --in_flight;
        if (reconnect(i)) idle.push_back(i);
        continue;
      }
      if (len > 0) {
        const Clock::time_point done = Clock::now();
        last_answer = done;
        c.in.erase(0, static_cast<std::size_t>(len));
        c.busy = false;
        --in_flight;
        if (status >= 200 && status < 300) {
          ++result.ok;
          answers.push_back({ms(c.started - t0), ms(done - c.started), ms(c.sent - c.started)});
        } else {
          fail("HTTP " + std::to_string(status));
        }
        if (!closed) idle.push_back(i);
      }
      if (closed) {
        if (c.busy) {
          fail("connection closed before the answer");
          --in_flight;
        }
        if (reconnect(i)) idle.push_back(i);
      }
    }
  }
  for (auto& c : conns) {
    if (c.fd >= 0) ::close(c.fd);
  }
  ::close(ep);

  if (!options.latency_log.empty()) write_latency_log(options.latency_log, t0, answers);
  result.seconds = std::chrono::duration<double>(last_answer - t0).count();
  result.rps = result.seconds > 0 ? static_cast<double>(result.ok) / result.seconds : 0;
  if (!answers.empty()) {
    std::vector<double> latencies_ms;
    latencies_ms.reserve(answers.size());
    for (const Answer& a : answers) latencies_ms.push_back(a.latency_ms);
    std::sort(latencies_ms.begin(), latencies_ms.end());
    auto at = [&](double q) {
      return latencies_ms[std::min(
          latencies_ms.size() - 1,
          static_cast<std::size_t>(q * static_cast<double>(latencies_ms.size())))];
    };
    result.p50_ms = at(0.50);
    result.p99_ms = at(0.99);
    result.max_ms = latencies_ms.back();
  }
  result.cpu_seconds = thread_cpu_seconds() - cpu_start;
  return result;
}

}  // namespace ttb::bench
