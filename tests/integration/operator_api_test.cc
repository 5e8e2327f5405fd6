// The operator API on the admin listener of the real ttbridged: who may call it (Bearer, or a
// console session whose state-changing requests carry the CSRF token; 429 after repeated bad
// tokens; 403 without admin.token_file), what it shows (no candidate data in lists, the
// candidate on the order's page, the search filters) and what it does (a dead invite retried
// through the API reopens the order and the recruiter's card moves on).

#include <gtest/gtest.h>

#include <ctime>

#include "loopback_stack.h"

namespace ttb {
namespace {

using demo::LoopbackStack;
using fakes::codility::Fault;
using nlohmann::json;
using testing::eventually;

constexpr const char* kToken = "operator-token-0123456789abcdef";
constexpr const char* kTest = "T100";

json body_of(const net::ClientResponse& r) {
  return json::parse(r.body, nullptr, false);
}

std::string utc_date(std::time_t at) {
  std::tm utc{};
  gmtime_r(&at, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
  return text;
}

class OperatorApi : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.codility().add_test({kTest, "Backend (C++)", false});
    ASSERT_TRUE(stack_.start()) << stack_.engine().log();
    json form = stack_.engine().config_form(LoopbackStack::kActivationToken);
    ASSERT_NE(form.dump().find(std::string("codility:") + kTest), std::string::npos);
  }

  std::string send(const std::string& email = "ada@example.org") {
    fakes::WebhookParams params;
    params.test = std::string("codility:") + kTest;
    params.email = email;
    params.update_url_base = stack_.teamtailor().api_url();
    auto sent = stack_.recruiter().send(LoopbackStack::kActivationToken, params);
    EXPECT_EQ(sent.response.status, 202) << sent.response.body;
    return sent.params.partner_result_id;
  }

  net::ClientResponse call(const std::string& method, const std::string& path,
                           net::Headers headers = {}, const std::string& body = "") {
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return stack_.engine().admin_request(method, path, body, std::move(headers));
  }
  net::ClientResponse bearer(const std::string& method, const std::string& path,
                             const std::string& body = "") {
    return call(method, path, {{"Authorization", std::string("Bearer ") + kToken}}, body);
  }
  json get(const std::string& path) {
    auto r = bearer("GET", path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    EXPECT_NE(r.header("Content-Type").value_or("").find("application/json"), std::string::npos);
    // Answers may name candidates: no cache keeps them, no browser reads them as anything else.
    EXPECT_EQ(r.header("Cache-Control").value_or(""), "no-store") << path;
    EXPECT_EQ(r.header("X-Content-Type-Options").value_or(""), "nosniff") << path;
    return body_of(r);
  }
  std::vector<std::string> order_ids(const std::string& query) {
    std::vector<std::string> ids;
    const json listed = get("/api/orders" + query);
    for (const auto& order : listed["orders"]) ids.push_back(order["id"]);
    return ids;
  }

  json card(const std::string& id) {
    json current = stack_.teamtailor().current(id);
    return current.is_object() ? current : json::object();
  }
  bool card_reaches(const std::string& id, const std::string& status) {
    return eventually([&] { return card(id).value("status", "") == status; });
  }

  LoopbackStack stack_{kToken};
};

TEST_F(OperatorApi, RefusesRequestsWithoutTheTokenAndAcceptsBearer) {
  auto none = call("GET", "/api/overview");
  EXPECT_EQ(none.status, 401) << none.body;
  EXPECT_TRUE(body_of(none).contains("error")) << none.body;
  auto wrong = call("GET", "/api/overview", {{"Authorization", "Bearer not-the-token-at-all"}});
  EXPECT_EQ(wrong.status, 401) << wrong.body;

  const json overview = get("/api/overview");
  EXPECT_EQ(overview["tenants"], 1);
  EXPECT_FALSE(overview["version"].get<std::string>().empty());
  EXPECT_TRUE(overview["queue"].contains("dead")) << overview.dump();
  EXPECT_TRUE(overview["orders_by_status"].is_object()) << overview.dump();
  // Health needs no token; the public listener has no operator API at all.
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  EXPECT_EQ(call("GET", "/readyz").status, 200);
  EXPECT_EQ(
      stack_.engine()
          .request("GET", "/api/overview", "", {{"Authorization", std::string("Bearer ") + kToken}})
          .status,
      404);
}

TEST_F(OperatorApi, RepeatedBadTokensAreRefusedWith429AndRetryAfter) {
  net::ClientResponse last;
  for (int i = 0; i < 30 && last.status != 429; ++i) {
    last = call("POST", "/api/session", {},
                R"({"token":"guess-number-)" + std::to_string(i) + R"("})");
    if (last.status != 429) {
      EXPECT_EQ(last.status, 401) << last.body;
    }
  }
  ASSERT_EQ(last.status, 429) << last.body;
  EXPECT_TRUE(last.header("Retry-After").has_value());
  EXPECT_EQ(last.header("Cache-Control").value_or(""), "no-store");  // as every API answer
  EXPECT_TRUE(body_of(last).contains("error")) << last.body;
  // The budget is the address's: even the right token waits now.
  EXPECT_EQ(bearer("GET", "/api/overview").status, 429);
}

TEST_F(OperatorApi, MetricsSpendsTheSameBudgetOfBadTokens) {
  // Guessed at /metrics, a token is the operator API's too: no way around the budget.
  net::ClientResponse last;
  for (int i = 0; i < 30 && last.status != 429; ++i) {
    last = call("GET", "/metrics", {{"Authorization", "Bearer guess-" + std::to_string(i)}});
    if (last.status != 429) {
      EXPECT_EQ(last.status, 401) << last.body;
    }
  }
  ASSERT_EQ(last.status, 429) << last.body;
  EXPECT_EQ(bearer("GET", "/api/overview").status, 429);
}

TEST_F(OperatorApi, AProxysBasicCredentialIsNoBadTokenAndLoginsAreJsonOnly) {
  // Behind a proxy with a login of its own, every request carries Authorization: Basic. It is
  // not ours to judge: the cookie session decides, and no failure is counted.
  auto login = call("POST", "/api/session", {}, std::string(R"({"token":")") + kToken + "\"}");
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string set_cookie = login.header("Set-Cookie").value_or("");
  const std::string session = set_cookie.substr(0, set_cookie.find(';'));
  for (int i = 0; i < 25; ++i) {
    auto r = call("GET", "/api/overview", {{"Cookie", session}, {"Authorization", "Basic eDp5"}});
    ASSERT_EQ(r.status, 200) << i << ": " << r.body;
  }
  EXPECT_EQ(
      call("GET", "/api/overview", {{"Authorization", "bearer " + std::string(kToken)}}).status,
      200)
      << "the scheme in any case";

  // A page on another site can post text/plain without asking first: refused before any token
  // is judged, so it cannot spend the address's budget.
  for (int i = 0; i < 25; ++i) {
    auto r = stack_.engine().admin_request("POST", "/api/session", R"({"token":"guess"})",
                                           {{"Content-Type", "text/plain"}});
    ASSERT_EQ(r.status, 415) << r.body;
  }
  EXPECT_EQ(bearer("GET", "/api/overview").status, 200);
}

TEST_F(OperatorApi, ACookieSessionNeedsTheCsrfTokenToChangeState) {
  EXPECT_EQ(call("GET", "/api/session").status, 401);
  EXPECT_EQ(call("POST", "/api/session", {}, R"({"token":"wrong-token-0123456789"})").status, 401);
  EXPECT_EQ(call("POST", "/api/session", {}, "not json").status, 400);

  auto login = call("POST", "/api/session", {}, std::string(R"({"token":")") + kToken + "\"}");
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string csrf = body_of(login).value("csrf", "");
  ASSERT_FALSE(csrf.empty()) << login.body;
  const std::string set_cookie = login.header("Set-Cookie").value_or("");
  for (const char* attribute : {"ttb_admin=", "HttpOnly", "SameSite=Strict", "Path=/"}) {
    EXPECT_NE(set_cookie.find(attribute), std::string::npos) << set_cookie;
  }
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << set_cookie;
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));

  auto again = call("GET", "/api/session", {{"Cookie", cookie}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(body_of(again)["csrf"], csrf);
  EXPECT_EQ(call("GET", "/api/overview", {{"Cookie", cookie}}).status, 200);

  // A state change with the cookie alone is refused; with the CSRF token it reaches the route
  // (404: there is no job 999999); Bearer needs no CSRF token.
  EXPECT_EQ(call("POST", "/api/jobs/999999/retry", {{"Cookie", cookie}}).status, 403);
  EXPECT_EQ(
      call("POST", "/api/jobs/999999/retry", {{"Cookie", cookie}, {"X-CSRF-Token", "nope"}}).status,
      403);
  EXPECT_EQ(
      call("POST", "/api/jobs/999999/retry", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}).status,
      404);
  EXPECT_EQ(bearer("POST", "/api/jobs/999999/retry").status, 404);

  // Logging out needs the CSRF token too, and ends the session.
  EXPECT_EQ(call("DELETE", "/api/session", {{"Cookie", cookie}}).status, 403);
  auto out = call("DELETE", "/api/session", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(out.status, 200) << out.body;
  EXPECT_EQ(call("GET", "/api/session", {{"Cookie", cookie}}).status, 401);
  EXPECT_EQ(call("GET", "/api/overview", {{"Cookie", cookie}}).status, 401);
}

TEST_F(OperatorApi, ListsCarryIdsOnlyAndTheOrderPageShowsTheCandidate) {
  const std::string ada = send("ada@example.org");
  const std::string grace = send("grace@example.org");
  ASSERT_TRUE(card_reaches(ada, "sent")) << stack_.engine().log();
  ASSERT_TRUE(card_reaches(grace, "sent")) << stack_.engine().log();

  auto list = bearer("GET", "/api/orders");
  ASSERT_EQ(list.status, 200) << list.body;
  for (const char* personal : {"ada@example.org", "grace@example.org", "Lovelace", "+4670"}) {
    EXPECT_EQ(list.body.find(personal), std::string::npos) << personal << " in " << list.body;
  }
  const json orders = body_of(list)["orders"];
  ASSERT_EQ(orders.size(), 2u) << list.body;
  EXPECT_EQ(orders[0]["id"], grace);  // newest first
  for (const char* key : {"id", "tenant", "provider", "test_id", "status", "failure_reason",
                          "vendor_order_id", "created_at", "updated_at"}) {
    EXPECT_TRUE(orders[0].contains(key)) << key;
  }
  EXPECT_TRUE(body_of(list)["next_before"].is_null());

  const json page = get("/api/orders/" + ada);
  EXPECT_EQ(page["id"], ada);
  EXPECT_EQ(page["candidate"]["email"], "ada@example.org");
  EXPECT_EQ(page["candidate"]["name"], "Ada Lovelace");
  EXPECT_EQ(page["card"]["status"], "sent");
  EXPECT_TRUE(page["card"].contains("result_version")) << page.dump();
  ASSERT_FALSE(page["timeline"].empty());
  EXPECT_EQ(page["timeline"][0]["kind"], "received");
  EXPECT_FALSE(page["timeline"][0]["at"].get<std::string>().empty());
  ASSERT_FALSE(page["jobs"].empty());
  EXPECT_EQ(page["jobs"][0]["kind"], "invite");
  EXPECT_EQ(bearer("GET", "/api/orders/no-such-order").status, 404);

  const std::time_t now = std::time(nullptr);
  EXPECT_EQ(order_ids("?email=ADA@Example.org"), std::vector<std::string>{ada});
  EXPECT_TRUE(order_ids("?email=nobody@example.org").empty());
  EXPECT_EQ(order_ids("?since=" + utc_date(now - 86400)).size(), 2u);
  EXPECT_TRUE(order_ids("?since=" + utc_date(now + 86400)).empty());
  EXPECT_TRUE(order_ids("?until=" + utc_date(now - 86400)).empty());
  EXPECT_EQ(order_ids("?until=" + utc_date(now + 86400)).size(), 2u);
  EXPECT_EQ(order_ids("?tenant=acme&status=invited").size(), 2u);
  EXPECT_TRUE(order_ids("?tenant=nobody").empty());
  EXPECT_TRUE(order_ids("?status=failed").empty());
  const json first = get("/api/orders?limit=1");
  ASSERT_EQ(first["orders"].size(), 1u);
  EXPECT_EQ(first["next_before"], grace);
  EXPECT_EQ(order_ids("?limit=1&before=" + grace), std::vector<std::string>{ada});
  EXPECT_EQ(bearer("GET", "/api/orders?status=bogus").status, 400);
  EXPECT_EQ(bearer("GET", "/api/orders?limit=0").status, 400);
  EXPECT_EQ(bearer("GET", "/api/orders?since=yesterday").status, 400);
}

TEST_F(OperatorApi, ShowsTenantsJobsAndTheChartsOfTheLastHour) {
  const std::string id = send();
  ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();

  const json tenants = get("/api/tenants")["tenants"];
  ASSERT_EQ(tenants.size(), 1u);
  EXPECT_EQ(tenants[0]["id"], "acme");
  std::vector<std::string> providers;
  for (const auto& p : tenants[0]["providers"]) {
    providers.push_back(p["name"]);
    EXPECT_EQ(p["health"], "ok") << p.dump();
  }
  EXPECT_EQ(providers, (std::vector<std::string>{"checkr", "hackerrank", "codility"}));

  const json all = get("/api/jobs?all=1&order=" + id);
  ASSERT_FALSE(all["jobs"].empty()) << all.dump();
  for (const char* key : {"id", "order_id", "tenant", "provider", "kind", "state", "attempts",
                          "run_at", "last_error", "updated_at"}) {
    EXPECT_TRUE(all["jobs"][0].contains(key)) << key;
  }
  EXPECT_TRUE(get("/api/jobs?dead=1")["jobs"].empty());
  EXPECT_EQ(bearer("GET", "/api/jobs?limit=abc").status, 400);

  // The daemon takes its first point when it starts, then one a minute.
  json stats;
  ASSERT_TRUE(eventually([&] {
    stats = get("/api/stats");
    return !stats["points"].empty();
  })) << stats.dump();
  EXPECT_EQ(stats["interval_s"], 60);
  for (const char* key : {"at", "queued", "running", "dead", "orders_created", "jobs_done"}) {
    EXPECT_TRUE(stats["points"][0].contains(key)) << key;
  }
}

TEST_F(OperatorApi, RetryingADeadInviteReopensTheOrderAndTheCardMovesOn) {
  stack_.codility().inject(Fault::error(401));
  const std::string id = send();
  ASSERT_TRUE(card_reaches(id, "failed")) << stack_.engine().log();

  std::int64_t job_id = 0;
  ASSERT_TRUE(eventually([&] {
    const json dead = get("/api/jobs?dead=1&order=" + id);
    for (const auto& job : dead["jobs"]) {
      if (job["kind"] == "invite") job_id = job["id"];
    }
    return job_id != 0;
  }));
  const json before = get("/api/overview");
  EXPECT_GE(before["queue"]["dead"].get<int>(), 1);
  EXPECT_EQ(before["orders_by_status"].value("failed", 0), 1);
  const json degraded = get("/api/tenants")["tenants"][0]["providers"][2];
  EXPECT_EQ(degraded["name"], "codility");
  EXPECT_EQ(degraded["health"], "degraded");

  auto retried = bearer("POST", "/api/jobs/" + std::to_string(job_id) + "/retry");
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(body_of(retried)["job"]["id"], job_id);
  EXPECT_NE(body_of(retried)["job"]["state"], "dead");

  ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
  EXPECT_EQ(stack_.codility().invitations_created(), 1);
  const json page = get("/api/orders/" + id);
  EXPECT_EQ(page["status"], "invited");
  std::vector<std::string> kinds;
  for (const auto& line : page["timeline"]) kinds.push_back(line["kind"]);
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "reopened"), kinds.end()) << page.dump();
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "job_retried"), kinds.end()) << page.dump();

  // Done once: it is no longer dead.
  auto twice = bearer("POST", "/api/jobs/" + std::to_string(job_id) + "/retry");
  EXPECT_EQ(twice.status, 409) << twice.body;
}

TEST_F(OperatorApi, ReplaysOneStepOfAnOrder) {
  const std::string id = send();
  ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();

  auto replayed = bearer("POST", "/api/orders/" + id + "/replay", R"({"step":"push"})");
  ASSERT_EQ(replayed.status, 200) << replayed.body;
  EXPECT_EQ(body_of(replayed)["order"]["id"], id);
  EXPECT_EQ(body_of(replayed)["job"]["kind"], "push");
  EXPECT_EQ(bearer("POST", "/api/orders/" + id + "/replay", R"({"step":"dance"})").status, 400);
  EXPECT_EQ(bearer("POST", "/api/orders/nope/replay", R"({"step":"push"})").status, 404);
}

TEST(OperatorApiWithoutToken, TcpListenerRefusesTheApiButServesHealthAndMetrics) {
  LoopbackStack stack;
  ASSERT_TRUE(stack.start()) << stack.engine().log();
  auto refused = stack.engine().admin_request("GET", "/api/overview");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(body_of(refused)["error"],
            "the operator API needs admin.token_file in the main config");
  EXPECT_EQ(stack.engine().admin_request("POST", "/api/session", R"({"token":"x"})", {}).status,
            403);
  EXPECT_EQ(stack.engine().admin_request("GET", "/healthz").status, 200);
  EXPECT_EQ(stack.engine().admin_request("GET", "/metrics").status, 200);
}

}  // namespace
}  // namespace ttb
