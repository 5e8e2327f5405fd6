// The console's sessions: fresh random ids and CSRF tokens, a session that lives 12 hours on an
// injected clock and not a moment longer, logout, at most kMaxSessions at once, and the cookie
// read from the Cookie header(s).

#include <vector>

#include <gtest/gtest.h>

#include "http/admin_session.h"

namespace ttb::http {
namespace {

using namespace std::chrono_literals;

TEST(AdminSessions, ASessionLivesTwelveHoursAndEndsAtLogout) {
  std::chrono::steady_clock::time_point now{};
  AdminSessions sessions([&] { return now; });
  const AdminSessions::Session a = sessions.open();
  const AdminSessions::Session b = sessions.open();
  EXPECT_EQ(a.id.size(), 64u);  // 256 bits, hex
  EXPECT_EQ(a.csrf.size(), 64u);
  EXPECT_NE(a.id, b.id);
  EXPECT_NE(a.id, a.csrf);
  EXPECT_EQ(sessions.csrf_of(a.id), a.csrf);
  EXPECT_FALSE(sessions.csrf_of("").has_value());
  EXPECT_FALSE(sessions.csrf_of(a.csrf).has_value());  // the CSRF token is not a session id

  sessions.close(b.id);
  EXPECT_FALSE(sessions.csrf_of(b.id).has_value());
  now += 12h - 1s;
  EXPECT_EQ(sessions.csrf_of(a.id), a.csrf);
  now += 1s;
  EXPECT_FALSE(sessions.csrf_of(a.id).has_value());
}

// Logins need no credential on a token-less socket: past kMaxSessions, each ends the oldest.
TEST(AdminSessions, ALoginPastTheCapEndsTheOldestSession) {
  std::chrono::steady_clock::time_point now{};
  AdminSessions sessions([&] { return now; });
  std::vector<AdminSessions::Session> opened;
  for (std::size_t i = 0; i < kMaxSessions + 2; ++i) {
    opened.push_back(sessions.open());
    now += 1ms;
  }
  EXPECT_FALSE(sessions.csrf_of(opened[0].id).has_value());
  EXPECT_FALSE(sessions.csrf_of(opened[1].id).has_value());
  for (std::size_t i = 2; i < opened.size(); ++i) {
    ASSERT_EQ(sessions.csrf_of(opened[i].id), opened[i].csrf) << i;
  }
}

TEST(AdminSessions, ReadsTheSessionCookieAmongOthers) {
  net::Request request;
  request.headers = {{"Cookie", "theme=dark; ttb_admin=abc123 ; other=1"}};
  EXPECT_EQ(cookie_value(request, kSessionCookie), "abc123");
  request.headers = {{"cookie", "a=1"}, {"Cookie", "ttb_admin=second"}};
  EXPECT_EQ(cookie_value(request, kSessionCookie), "second");
  request.headers = {{"Cookie", "xttb_admin=no; ttb_adminx=no"}};
  EXPECT_EQ(cookie_value(request, kSessionCookie), "");

  EXPECT_EQ(session_cookie_header("abc"), "ttb_admin=abc; HttpOnly; SameSite=Strict; Path=/");
  EXPECT_EQ(session_cookie_header(""), "ttb_admin=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
}

}  // namespace
}  // namespace ttb::http
