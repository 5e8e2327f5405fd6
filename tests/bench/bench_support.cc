#include "bench_support.h"

#include <cstdio>
#include <fstream>
#include <thread>

namespace ttb::bench {

std::string token_of(int tenant) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "bench-activation-token-%04d-0f3c9a", tenant);
  return buf;
}

std::string tenant_id(int tenant) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "t%04d", tenant);
  return buf;
}

std::string raw_request(const net::ClientRequest& r) {
  const auto scheme_end = r.url.find("://");
  const auto path_start = r.url.find('/', scheme_end + 3);
  std::string out = r.method;
  out += ' ';
  out += r.url.substr(path_start);
  out += " HTTP/1.1\r\nHost: ";
  out += r.url.substr(scheme_end + 3, path_start - scheme_end - 3);
  out += "\r\n";
  for (const auto& [k, v] : r.headers) {
    out += k;
    out += ": ";
    out += v;
    out += "\r\n";
  }
  out += "Content-Length: ";
  out += std::to_string(r.body.size());
  out += "\r\nConnection: keep-alive\r\n\r\n";
  out += r.body;
  return out;
}

std::vector<std::string> make_webhooks(const fakes::WebhookSender& sender, int tenants, int count,
                                       const std::string& test, const std::string& tag) {
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) {
    fakes::WebhookParams p;
    p.test = test;
    p.email = tag + std::to_string(k) + "@example.org";
    p.candidate_id = 100000 + k;
    p.company_uuid = "bench-company-" + std::to_string(k % tenants);
    out.push_back(raw_request(sender.build(token_of(k % tenants), p)));
  }
  return out;
}

std::optional<std::chrono::steady_clock::time_point> wait_writes(const fakes::FakeTeamtailor& tt,
                                                                 const std::string& status,
                                                                 std::size_t n,
                                                                 std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (tt.count_writes(status) >= n) return std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

nlohmann::json describe(const LoadResult& r) {
  return {{"sent", r.sent},
          {"ok", r.ok},
          {"failed", r.failed},
          {"seconds", r.seconds},
          {"rps", r.rps},
          {"p50_ms", r.p50_ms},
          {"p99_ms", r.p99_ms},
          {"max_ms", r.max_ms},
          {"generator_cpu_s", r.cpu_seconds},
          {"first_error", r.first_error}};
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

}  // namespace ttb::bench
