#pragma once
// The operator console's logins (docs/operations.md, "Operator API"): a browser trades the admin
// token for a session cookie (HttpOnly, SameSite=Strict) and a CSRF token that it must send back
// in X-CSRF-Token with every request that changes state. Sessions live in memory and end after
// kSessionLifetime or at a restart.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_types.h"

namespace ttb::http {

inline constexpr std::chrono::hours kSessionLifetime{12};
// Live sessions at most: a login past it ends the oldest. On a Unix socket without a token a
// login needs no credential, so their number must not be the clients' to choose.
inline constexpr std::size_t kMaxSessions = 1000;
inline constexpr const char* kSessionCookie = "ttb_admin";

class AdminSessions {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  explicit AdminSessions(Clock clock = [] { return std::chrono::steady_clock::now(); });

  struct Session {
    std::string id;    // the cookie's value
    std::string csrf;  // what X-CSRF-Token must carry
  };
  // A new session with fresh random id and CSRF token (256 bits each, from the system's CSPRNG);
  // with kMaxSessions live, the oldest ends. Throws std::runtime_error when the system has no
  // randomness to give.
  Session open();
  // The CSRF token of a live session; nullopt when `id` is unknown or expired.
  std::optional<std::string> csrf_of(const std::string& id);
  void close(const std::string& id);

 private:
  struct Entry {
    std::string csrf;
    std::chrono::steady_clock::time_point expires;
  };
  Clock clock_;
  std::mutex mutex_;
  std::map<std::string, Entry> sessions_;  // by the SHA-256 of the session's id
};

// The token of an `Authorization: Bearer <token>` header (the scheme in any case, RFC 9110);
// nullopt without one. Another scheme is no credential of ours and is not read as a wrong one:
// a proxy's own login (Basic) passes its Authorization header on with every request.
std::optional<std::string> bearer_token(const net::Request& request);

// The value of cookie `name` in the request's Cookie header(s); "" when absent.
std::string cookie_value(const net::Request& request, std::string_view name);
// The Set-Cookie value that stores `session_id` in the browser, or ("" id) removes it.
std::string session_cookie_header(const std::string& session_id);

}  // namespace ttb::http
