#include "http/admin_session.h"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "teamtailor/crypto.h"

namespace ttb::http {
namespace {

std::string random_token() {
  std::array<char, 32> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n <= 0) throw std::runtime_error("cannot draw a random session id (getrandom failed)");
    filled += static_cast<std::size_t>(n);
  }
  return teamtailor::to_hex(std::string_view(bytes.data(), bytes.size()));
}

// What a session is kept under: the SHA-256 of its id, not the id. A lookup compares keys byte by
// byte and stops at the first difference; over digests that tells a client nothing about which
// prefix of a live id its guess shares.
std::string key_of(std::string_view id) {
  return std::string(teamtailor::as_view(teamtailor::sha256(id)));
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

AdminSessions::AdminSessions(Clock clock) : clock_(std::move(clock)) {}

AdminSessions::Session AdminSessions::open() {
  Session session{random_token(), random_token()};
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  // Expired sessions go at each login, and the oldest when kMaxSessions are live: every session
  // lives as long, so the one that expires first is the oldest.
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = it->second.expires <= now ? sessions_.erase(it) : std::next(it);
  }
  if (sessions_.size() >= kMaxSessions) {
    sessions_.erase(std::min_element(
        sessions_.begin(), sessions_.end(),
        [](const auto& a, const auto& b) { return a.second.expires < b.second.expires; }));
  }
  sessions_[key_of(session.id)] = {session.csrf, now + kSessionLifetime};
  return session;
}

std::optional<std::string> AdminSessions::csrf_of(const std::string& id) {
  if (id.empty()) return std::nullopt;
  const auto now = clock_();
  const std::string key = key_of(id);
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(key);
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expires <= now) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return it->second.csrf;
}

void AdminSessions::close(const std::string& id) {
  const std::string key = key_of(id);
  std::lock_guard lock(mutex_);
  sessions_.erase(key);
}

std::optional<std::string> bearer_token(const net::Request& request) {
  constexpr std::string_view kScheme = "bearer ";
  const std::optional<std::string> authorization = request.header("Authorization");
  if (!authorization || authorization->size() <= kScheme.size() ||
      !net::iequals(std::string_view(*authorization).substr(0, kScheme.size()), kScheme)) {
    return std::nullopt;
  }
  return authorization->substr(kScheme.size());
}

std::string cookie_value(const net::Request& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (!net::iequals(header, "Cookie")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto semicolon = rest.find(';');
      const std::string_view pair = trimmed(rest.substr(0, semicolon));
      rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
      const auto equals = pair.find('=');
      if (equals == std::string_view::npos) continue;
      if (trimmed(pair.substr(0, equals)) == name) {
        return std::string(trimmed(pair.substr(equals + 1)));
      }
    }
  }
  return "";
}

std::string session_cookie_header(const std::string& session_id) {
  // No Secure attribute: the admin listener is plain HTTP on loopback, a Unix socket or behind a
  // proxy, and a Secure cookie would never come back over it.
  std::string header = kSessionCookie;
  header += "=";
  header += session_id;
  header += "; HttpOnly; SameSite=Strict; Path=/";
  if (session_id.empty()) header += "; Max-Age=0";
  return header;
}

}  // namespace ttb::http
