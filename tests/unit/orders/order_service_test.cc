// The order use cases over a real SQLite store: accept, updates scoped to their tenant and
// provider, callbacks deduped by event id, cancel/resend/replay requests.

#include "orders/order_service.h"

#include <nlohmann/json.hpp>

#include "orders/order_json.h"
#include "orders/result_view.h"
#include "store_fixture.h"

namespace ttb::orders {
namespace {

using store::testing::StoreFixture;
using Status = ApplyResult::Status;

class OrderServiceTest : public StoreFixture {
 protected:
  void SetUp() override {
    store::StoreOptions options;
    options.before_commit = [this]() -> std::optional<std::string> {
      if (fail_commits_) return std::string("injected I/O error");
      return std::nullopt;
    };
    store_ = open(std::move(options));
    service_ = std::make_unique<OrderService>(*store_, OrderServiceOptions{"https://ttb.example/"});
    auto o = order("pr-1", "ev-1");
    o.callback_url.clear();
    ASSERT_EQ(service_->accept(o)->outcome, store::Accepted::Outcome::created);
    ASSERT_EQ(service_->accept(order("pr-b", "ev-b", "beta", "codility"))->outcome,
              store::Accepted::Outcome::created);
  }

  std::string status_of(const std::string& id) { return store_->get_order(id)->status; }
  std::size_t push_jobs(const std::string& id) {
    std::size_t n = 0;
    for (const auto& j : *store_->list_jobs({false, "", id, 100}))
      n += j.kind == store::JobKind::push;
    return n;
  }

  std::atomic<bool> fail_commits_{false};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<OrderService> service_;
};

TEST_F(OrderServiceTest, AcceptBuildsTheCallbackUrlFromThePublicUrl) {
  auto o = store_->get_order("pr-1");
  EXPECT_EQ(o->callback_url, "https://ttb.example/callbacks/acme/codility/orders/pr-1");
  auto request = nlohmann::json::parse(create_order_request_json(*o));
  EXPECT_EQ(request["order_id"], "pr-1");
  EXPECT_EQ(request["test_id"], "cpp-60");
  EXPECT_EQ(request["candidate"]["email"], "ada@example.org");
  EXPECT_EQ(request["job"]["id"], "77");
  EXPECT_EQ(request["options"]["test"], "codility:cpp-60");
  EXPECT_EQ(request["callback_url"], o->callback_url);
  EXPECT_EQ(request["locale"], "en");
}

TEST_F(OrderServiceTest, CallbackUrlSegmentsAreEscaped) {
  EXPECT_EQ(callback_url("https://x", "a/b", "p q", "id?1"),
            "https://x/callbacks/a%2Fb/p%20q/orders/id%3F1");
}

TEST_F(OrderServiceTest, UpdateByOrderIdAdvancesAndQueuesOnePush) {
  auto r = service_->apply_vendor_update(
      "acme", "codility", R"({"order_id":"pr-1","vendor_order_id":"v-1","status":"sent"})",
      "vendor");
  EXPECT_EQ(r.status, Status::applied) << r.message;
  EXPECT_TRUE(r.result_changed);
  EXPECT_EQ(status_of("pr-1"), "invited");
  EXPECT_EQ(push_jobs("pr-1"), 1u);
  auto context = nlohmann::json::parse(
      order_context_json(**service_->callback_order("acme", "codility", "pr-1")));
  EXPECT_EQ(context["vendor_order_id"], "v-1");
  EXPECT_EQ(context["status"], "sent");
}

TEST_F(OrderServiceTest, UpdateNamingAnotherTenantsOrderTouchesNothing) {
  // beta's plugin reports an update naming acme's order: refused as if it did not exist.
  auto r = service_->apply_vendor_update(
      "beta", "codility", R"({"order_id":"pr-1","status":"completed","score":99})", "callback");
  EXPECT_EQ(r.status, Status::not_found);
  EXPECT_EQ(status_of("pr-1"), "received");
  EXPECT_EQ(push_jobs("pr-1"), 0u);
  EXPECT_EQ(store_->timeline("pr-1")->size(), 1u);
  // Another provider of the same tenant is refused too.
  EXPECT_EQ(service_
                ->apply_vendor_update("acme", "hackerrank",
                                      R"({"order_id":"pr-1","status":"sent"})", "callback")
                .status,
            Status::not_found);
  EXPECT_FALSE(*service_->callback_order("beta", "codility", "pr-1"));
}

TEST_F(OrderServiceTest, VendorOrderIdLookupIsScopedToTheTenant) {
  service_->apply_vendor_update("acme", "codility",
                                R"({"order_id":"pr-1","vendor_order_id":"v-1","status":"sent"})",
                                "vendor");
  auto foreign = service_->apply_vendor_update(
      "beta", "codility", R"({"vendor_order_id":"v-1","status":"completed"})", "callback");
  EXPECT_EQ(foreign.status, Status::not_found);
  EXPECT_EQ(status_of("pr-1"), "invited");
  auto own = service_->apply_vendor_update(
      "acme", "codility", R"({"vendor_order_id":"v-1","status":"completed"})", "callback");
  EXPECT_EQ(own.status, Status::applied);
  EXPECT_EQ(own.order_id, "pr-1");
  EXPECT_EQ(status_of("pr-1"), "completed");
}

TEST_F(OrderServiceTest, LateUpdateAfterTerminalIsRecordedNotApplied) {
  service_->apply_vendor_update(
      "acme", "codility", R"({"order_id":"pr-1","status":"completed","score":70})", "callback");
  const auto pushes = push_jobs("pr-1");
  auto late = service_->apply_vendor_update("acme", "codility",
                                            R"({"order_id":"pr-1","status":"failed"})", "callback");
  EXPECT_EQ(late.status, Status::ignored);
  EXPECT_EQ(status_of("pr-1"), "completed");
  EXPECT_EQ(push_jobs("pr-1"), pushes);
  EXPECT_EQ(store_->timeline("pr-1")->back().event, "ignored_final");
  EXPECT_EQ(ResultView::from_json(store_->get_order("pr-1")->result_json).score, 70);
}

TEST_F(OrderServiceTest, MismatchedVendorOrderIdIsRefused) {
  service_->apply_vendor_update("acme", "codility",
                                R"({"order_id":"pr-1","vendor_order_id":"v-1","status":"sent"})",
                                "vendor");
  auto r = service_->apply_vendor_update(
      "acme", "codility", R"({"order_id":"pr-1","vendor_order_id":"v-2","status":"completed"})",
      "callback");
  EXPECT_EQ(r.status, Status::invalid);
  EXPECT_EQ(status_of("pr-1"), "invited");
}

TEST_F(OrderServiceTest, JobContextFinishesTheJobWithTheUpdate) {
  auto job = *store_->claim_due_jobs({clock_.now(), 10, {}});
  ASSERT_FALSE(job.empty());
  const auto invite = job[0].order_id == "pr-1" ? job[0] : job[1];
  ApplyContext ctx;
  ctx.order_id = "pr-1";
  ctx.finish_job = invite;
  ctx.default_status = VendorStatus::sent;
  auto r = service_->apply_vendor_update("acme", "codility", R"({"vendor_order_id":"v-7"})",
                                         "vendor", ctx);
  EXPECT_EQ(r.status, Status::applied) << r.message;
  EXPECT_EQ(status_of("pr-1"), "invited");
  EXPECT_EQ(store_->get_job(invite.id)->state, store::JobState::done);
}

TEST_F(OrderServiceTest, CallbackEventAppliesOnceAndRepliesAsThePluginSays) {
  const std::string result = R"({"reply":{"status":200,"headers":[["Retry-After","1"]],"body":"ok"},
    "event_id":"evt_1","updates":[{"order_id":"pr-1","status":"pending"},
                                  {"order_id":"pr-1","status":"completed","score":90}]})";
  auto first = service_->handle_callback_result("acme", "codility", result);
  EXPECT_EQ(first.status, CallbackOutcome::Status::ok) << first.error;
  EXPECT_EQ(first.reply_status, 200);
  EXPECT_EQ(first.reply_body, "ok");
  ASSERT_EQ(first.reply_headers.size(), 1u);
  ASSERT_EQ(first.updates.size(), 2u);
  EXPECT_EQ(first.updates[0].status, Status::applied);
  EXPECT_EQ(first.updates[1].status, Status::applied);
  EXPECT_EQ(status_of("pr-1"), "completed");
  const auto pushes = push_jobs("pr-1");
  EXPECT_EQ(pushes, 2u);
  const auto timeline = store_->timeline("pr-1")->size();

  auto again = service_->handle_callback_result("acme", "codility", result);
  EXPECT_EQ(again.status, CallbackOutcome::Status::duplicate);
  EXPECT_EQ(again.reply_body, "ok");
  EXPECT_EQ(push_jobs("pr-1"), pushes);
  EXPECT_EQ(store_->timeline("pr-1")->size(), timeline);
}

TEST_F(OrderServiceTest, OnlyAllowListedCleanReplyHeadersPass) {
  auto out = service_->handle_callback_result("acme", "codility", R"({"reply":{"status":200,
    "headers":[["content-type","application/json"],["Cache-Control","no-store"],
               ["Retry-After","30"],["Set-Cookie","a=b"],["X-Ack","1"],["Location","/x"],
               ["Retry-After","1\r\nSet-Cookie: a=b"],["Content-Type","text/plain\u0000"],
               ["Cache-Control","caf\u00e9"]],"body":"ok"}})");
  EXPECT_EQ(out.status, CallbackOutcome::Status::ok) << out.error;
  std::vector<std::pair<std::string, std::string>> expected = {
      {"content-type", "application/json"}, {"Cache-Control", "no-store"}, {"Retry-After", "30"}};
  EXPECT_EQ(out.reply_headers, expected);
  EXPECT_EQ(out.dropped_headers.size(), 6u);
  EXPECT_EQ(refuse_reply_header("Retry-After", "5"), nullptr);
  EXPECT_NE(refuse_reply_header("Retry-After", "5\n"), nullptr);
  EXPECT_NE(refuse_reply_header("Retry-After", std::string(1025, '1')), nullptr);
  EXPECT_NE(refuse_reply_header("Content-Type\r\nX", "text/plain"), nullptr);
}

TEST_F(OrderServiceTest, CallbackForAnotherTenantsOrderChangesNothing) {
  auto out = service_->handle_callback_result(
      "beta", "codility",
      R"({"reply":{"status":200},"updates":[{"order_id":"pr-1","status":"completed"}]})");
  EXPECT_EQ(out.status, CallbackOutcome::Status::ok);
  ASSERT_EQ(out.updates.size(), 1u);
  EXPECT_EQ(out.updates[0].status, Status::not_found);
  EXPECT_EQ(status_of("pr-1"), "received");
}

TEST_F(OrderServiceTest, MalformedCallbackResultIsInvalid) {
  const std::string deep = R"({"reply":{"status":200},"updates":[{"order_id":"pr-1","details":)" +
                           std::string(200000, '[') + std::string(200000, ']') + "}]}";
  for (const std::string& bad : {std::string("nope"), std::string(R"({"updates":[]})"),
                                 std::string(R"({"reply":{"status":"200"}})"),
                                 std::string(R"({"reply":{"status":4294967496}})"),
                                 std::string(R"({"reply":{"status":18446744073709551615}})"),
                                 std::string(R"({"reply":{"status":200,"headers":[["a"]]}})"),
                                 std::string(R"({"reply":{"status":101}})"),
                                 std::string(R"({"reply":{"status":204,"body":"ok"}})"),
                                 std::string(R"({"reply":{"status":304,"body":"ok"}})"),
                                 std::string(R"({"reply":{},"updates":{}})"), deep}) {
    auto out = service_->handle_callback_result("acme", "codility", bad);
    EXPECT_EQ(out.status, CallbackOutcome::Status::invalid_result) << bad.substr(0, 80);
    EXPECT_EQ(out.reply_status, 502) << bad.substr(0, 80);
  }
  EXPECT_EQ(status_of("pr-1"), "received");
}

TEST_F(OrderServiceTest, StoreFailureDuringCallbackIsReportedAndNothingApplies) {
  fail_commits_ = true;
  auto out = service_->handle_callback_result(
      "acme", "codility",
      R"({"reply":{"status":200},"event_id":"evt_2","updates":[{"order_id":"pr-1","status":"completed"}]})");
  EXPECT_EQ(out.status, CallbackOutcome::Status::store_error);
  fail_commits_ = false;
  EXPECT_EQ(status_of("pr-1"), "received");
  // The event was not consumed: the vendor's retry applies it.
  auto retry = service_->handle_callback_result(
      "acme", "codility",
      R"({"reply":{"status":200},"event_id":"evt_2","updates":[{"order_id":"pr-1","status":"completed"}]})");
  EXPECT_EQ(retry.status, CallbackOutcome::Status::ok);
  EXPECT_EQ(status_of("pr-1"), "completed");
}

TEST_F(OrderServiceTest, CancelAndResendAreQueuedOnlyWhenTheyMakeSense) {
  EXPECT_EQ(service_->request_resend("acme", "pr-1").status,
            RequestResult::Status::not_applicable);  // not invited yet
  EXPECT_EQ(service_->request_cancel("beta", "pr-1").status, RequestResult::Status::not_found);
  auto cancel = service_->request_cancel("acme", "pr-1");
  ASSERT_EQ(cancel.status, RequestResult::Status::queued) << cancel.message;
  auto job = store_->get_job(cancel.job_id);
  EXPECT_EQ(job->kind, store::JobKind::cancel);
  EXPECT_EQ(store_->timeline("pr-1")->back().event, "cancel_requested");

  service_->apply_vendor_update("acme", "codility", R"({"order_id":"pr-1","status":"sent"})",
                                "vendor");
  auto resend = service_->request_resend("acme", "pr-1");
  ASSERT_EQ(resend.status, RequestResult::Status::queued);
  EXPECT_EQ(store_->get_job(resend.job_id)->payload_json, R"({"action":"resend_invitation"})");

  service_->apply_vendor_update(
      "acme", "codility", R"({"order_id":"pr-1","status":"failed","failure_reason":"cancelled"})",
      "vendor");
  EXPECT_EQ(service_->request_cancel("acme", "pr-1").status, RequestResult::Status::not_applicable);
}

TEST_F(OrderServiceTest, ReplayQueuesExactlyTheRequestedStep) {
  auto push = service_->replay("pr-1", store::JobKind::push);
  ASSERT_EQ(push.status, RequestResult::Status::queued);
  auto job = store_->get_job(push.job_id);
  EXPECT_EQ(job->kind, store::JobKind::push);
  EXPECT_EQ(job->payload_json, R"({"force":true})");
  EXPECT_EQ(service_->replay("pr-1", store::JobKind::cancel).status,
            RequestResult::Status::not_applicable);
  EXPECT_EQ(service_->replay("missing", store::JobKind::push).status,
            RequestResult::Status::not_found);
}

}  // namespace
}  // namespace ttb::orders
