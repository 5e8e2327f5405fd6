// provider: the real checkr.so, loaded through core/plugins (PluginHost, the real ttb::net
// HttpClient), against the Checkr fake on loopback: tests, orders, callbacks, polling,
// cancelling, 429s.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkr_api.h"
#include "fake_checkr.h"
#include "net/http_client.h"
#include "net/http_server.h"
#include "plugins/internal/plugin_host.h"
#include "ttbridge/hmac_sha256.hpp"
#include "webhook_sender.h"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ttb::fakes::checkr::FakeCheckr;
using ttb::fakes::checkr::FakeCheckrOptions;
using ttb::fakes::checkr::Fault;
using ttb::fakes::checkr::Package;
using ttb::fakes::checkr::ReportChange;
using ttb::fakes::checkr::Signing;
using ttb::fakes::checkr::WebhookSender;
using ttb::plugins::CallResult;
using ttb::plugins::CallStatus;

constexpr std::int64_t kNow = 1740823200000;  // 2025-03-01T10:00:00Z, the fake's clock too

std::string order_request(const std::string& order_id,
                          const std::string& package = "basic_criminal") {
  return json{{"order_id", order_id},
              {"test_id", package},
              {"candidate",
               {{"id", "tt-cand-7"},
                {"first_name", "Ada"},
                {"last_name", "Lee"},
                {"email", "ada@example.com"},
                {"phone", "+15550100"}}},
              {"job", {{"id", "job-4411"}, {"title", "Delivery driver"}}},
              {"options", json::object()},
              {"callback_url", "https://engine.example/callbacks/acme/checkr/orders/" + order_id},
              {"locale", "en"}}
      .dump();
}

class CheckrPlugin : public ::testing::Test {
 protected:
  explicit CheckrPlugin(FakeCheckrOptions fake_options = {})
      : fake_(std::move(fake_options)), sender_(fake_.api_key()) {
    ttb::plugins::HostOptions o;
    o.http = ttb::net::make_http_client();
    o.now_ms = [] { return kNow; };
    o.log = [this](const ttb::plugins::HostLogRecord& r) {
      std::lock_guard lock(log_mu_);
      logs_.push_back(r.event + " " + r.message);
    };
    host_ = std::make_unique<ttb::plugins::PluginHost>(o);
  }

  ~CheckrPlugin() override {
    std::lock_guard lock(log_mu_);
    for (const auto& line : logs_)
      EXPECT_EQ(line.find(fake_.api_key()), std::string::npos)
          << "a log line shows the key: " << line;
  }

  json config(const json& extra = json::object()) const {
    json c{{"api_key", fake_.api_key()},
           {"base_url", fake_.base_url()},
           {"work_location", {{"country", "US"}, {"state", "CA"}}}};
    c.update(extra);
    return c;
  }

  std::shared_ptr<ttb::plugins::Provider> provider(const json& cfg) {
    auto r = host_->create_provider("acme", "checkr", CHECKR_PLUGIN_PATH, cfg);
    EXPECT_TRUE(r.provider) << r.error;
    return r.provider;
  }
  ttb::plugins::Provider& checkr() {
    if (!provider_) provider_ = provider(config());
    return *provider_;
  }

  static CallResult wait(std::future<CallResult> f) {
    EXPECT_EQ(f.wait_for(30s), std::future_status::ready);
    return f.get();
  }

  // create_order, asserting success; returns the update.
  json create(const std::string& order_id) {
    CallResult r = wait(checkr().create_order(order_request(order_id)));
    EXPECT_TRUE(r.ok()) << ttb::plugins::to_string(r.status) << ": " << r.detail;
    return r.ok() ? json::parse(r.json) : json::object();
  }

  json callback(const json& event, Signing signing = Signing::valid) {
    auto d = sender_.prepare(event, signing);
    ttb::plugins::CallbackRequest req{"POST", "", d.headers, d.body, ""};
    CallResult r = wait(checkr().handle_callback(req));
    EXPECT_TRUE(r.ok()) << r.detail;
    return r.ok() ? json::parse(r.json) : json::object();
  }

  std::size_t requests_to(const std::string& method, const std::string& path_prefix) const {
    std::size_t n = 0;
    for (const auto& r : fake_.requests())
      n += r.method == method && r.path.rfind("/v1" + path_prefix, 0) == 0;
    return n;
  }

  FakeCheckr fake_;
  WebhookSender sender_;
  std::mutex log_mu_;
  std::vector<std::string> logs_;
  std::unique_ptr<ttb::plugins::PluginHost> host_;
  std::shared_ptr<ttb::plugins::Provider> provider_;  // destroyed before host_
};

// ---- instance creation ----------------------------------------------------------------------

TEST_F(CheckrPlugin, OffersPollingAndCancelling) {
  EXPECT_EQ(checkr().plugin_name(), "checkr");
  EXPECT_TRUE(checkr().supports_fetch_order());
  EXPECT_TRUE(checkr().supports_cancel_order());
  EXPECT_FALSE(checkr().supports_run_action());
}

TEST_F(CheckrPlugin, BadConfigFailsCreateNamingTheSettingNotItsValue) {
  auto r =
      host_->create_provider("acme", "checkr", CHECKR_PLUGIN_PATH,
                             json{{"api_key", "sk_SECRET_VALUE"}, {"score", "weird_SECRET_VALUE"}});
  EXPECT_FALSE(r.provider);
  EXPECT_NE(r.error.find("score"), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find("SECRET_VALUE"), std::string::npos) << r.error;
}

// ---- list_tests -------------------------------------------------------------------------------

TEST_F(CheckrPlugin, ListsEveryPackageAcrossAllPages) {
  for (int i = 0; i < 205; ++i)
    fake_.add_package(
        Package{"pkg_" + std::to_string(i), "Package " + std::to_string(i), {{"ssn_trace", ""}}});
  CallResult r = wait(checkr().list_tests());
  ASSERT_TRUE(r.ok()) << r.detail;
  json tests = json::parse(r.json)["tests"];
  EXPECT_EQ(tests.size(), 207u);
  EXPECT_EQ(tests[0]["id"], "basic_criminal");
  EXPECT_EQ(tests[0]["kind"], "background_check");
  EXPECT_EQ(tests[206]["id"], "pkg_204");
  std::vector<std::string> pages;
  for (const auto& req : fake_.requests())
    if (req.path == "/v1/packages")
      pages.push_back(req.query.at("page") + "/" + req.query.at("per_page"));
  EXPECT_EQ(pages, (std::vector<std::string>{"1/100", "2/100", "3/100"}));
}

TEST_F(CheckrPlugin, WrongApiKeyIsAnAuthErrorWithoutTheKey) {
  auto p = provider(config({{"api_key", "sk_wrong_key_12345"}}));
  CallResult r = wait(p->list_tests());
  EXPECT_EQ(r.status, CallStatus::auth);
  EXPECT_NE(r.detail.find("401"), std::string::npos) << r.detail;
  EXPECT_EQ(r.detail.find("sk_wrong_key_12345"), std::string::npos) << r.detail;
}

TEST_F(CheckrPlugin, ServerErrorsAreVendorUnavailable) {
  fake_.inject(Fault{"GET", "/packages", 503, 1, std::nullopt, false, 0ms});
  EXPECT_EQ(wait(checkr().list_tests()).status, CallStatus::vendor_unavailable);
  EXPECT_TRUE(wait(checkr().list_tests()).ok());  // the fault was for one request only
}

// ---- create_order -----------------------------------------------------------------------------

TEST_F(CheckrPlugin, CreateOrderCreatesTheCandidateAndTheInvitation) {
  json u = create("pr-1");
  EXPECT_EQ(u["order_id"], "pr-1");
  EXPECT_EQ(u["status"], "sent");
  ASSERT_TRUE(u["vendor_order_id"].is_string());
  auto inv = fake_.invitation(u["vendor_order_id"]);
  ASSERT_TRUE(inv);
  EXPECT_EQ(u["candidate_url"], (*inv)["invitation_url"]);
  EXPECT_EQ(u["vendor_state"]["candidate_id"], (*inv)["candidate_id"]);
  EXPECT_EQ((*inv)["package"], "basic_criminal");
  EXPECT_EQ((*inv)["work_locations"], json::parse(R"([{"country":"US","state":"CA"}])"));
  auto cand = fake_.candidate((*inv)["candidate_id"]);
  ASSERT_TRUE(cand);
  EXPECT_EQ((*cand)["custom_id"], "pr-1");
  EXPECT_EQ((*cand)["email"], "ada@example.com");
  EXPECT_EQ((*cand)["phone"], "+15550100");
  for (const auto& req : fake_.requests()) {
    if (req.method == "POST") {
      EXPECT_TRUE(ttb::net::find_header(req.headers, "Idempotency-Key")) << req.path;
    }
  }
}

TEST_F(CheckrPlugin, RetriedCreateOrderReusesTheCandidateAndReplaysTheInvitation) {
  json first = create("pr-2");
  json second = create("pr-2");  // the host retries after a crash before it stored the answer
  EXPECT_EQ(second["vendor_order_id"], first["vendor_order_id"]);
  EXPECT_EQ(fake_.candidates_created(), 1);
  EXPECT_EQ(fake_.invitations_created(), 1);
  EXPECT_EQ(requests_to("POST", "/invitations"), 2u);  // sent twice, created once: Idempotency-Key
  EXPECT_NE(create("pr-3")["vendor_order_id"], first["vendor_order_id"]);
  EXPECT_EQ(fake_.invitations_created(), 2);
}

TEST_F(CheckrPlugin, RateLimitDuringTheInviteReportsTheResetTime) {
  fake_.inject(
      Fault{"POST", "/invitations", 429, 1, std::string("2025-03-01T10:00:07Z"), false, 0ms});
  CallResult r = wait(checkr().create_order(order_request("pr-4")));
  EXPECT_EQ(r.status, CallStatus::rate_limited);
  ASSERT_TRUE(r.retry_after);
  EXPECT_EQ(*r.retry_after, 7000ms);
  EXPECT_EQ(fake_.invitations_created(), 0);
  create("pr-4");  // the retry goes through, and reuses the candidate made the first time
  EXPECT_EQ(fake_.candidates_created(), 1);
  EXPECT_EQ(fake_.invitations_created(), 1);
}

TEST_F(CheckrPlugin, RateLimitWithoutResetHeaderWaitsTwoSeconds) {
  fake_.inject(Fault{"POST", "/invitations", 429, 1, std::nullopt, true, 0ms});
  CallResult r = wait(checkr().create_order(order_request("pr-5")));
  EXPECT_EQ(r.status, CallStatus::rate_limited);
  ASSERT_TRUE(r.retry_after);
  EXPECT_EQ(*r.retry_after, 2000ms);
}

TEST_F(CheckrPlugin, UnknownPackageIsNotFound) {
  CallResult r = wait(checkr().create_order(order_request("pr-6", "no_such_package")));
  EXPECT_EQ(r.status, CallStatus::not_found);
  EXPECT_NE(r.detail.find("Package not found"), std::string::npos) << r.detail;
}

TEST_F(CheckrPlugin, MalformedOrderRequestIsInvalidWithoutCallingCheckr) {
  EXPECT_EQ(wait(checkr().create_order("{nope")).status, CallStatus::invalid);
  EXPECT_EQ(
      wait(checkr().create_order(R"({"order_id":"x","test_id":"basic_criminal","candidate":{}})"))
          .status,
      CallStatus::invalid);
  EXPECT_TRUE(fake_.requests().empty());
}

// ---- handle_callback --------------------------------------------------------------------------

TEST_F(CheckrPlugin, ReportCompletedEventMapsTheRefetchedReport) {
  std::string inv = create("pr-10")["vendor_order_id"];
  std::string report_id = fake_.complete_invitation(inv);
  fake_.set_screening(report_id, "sex_offender_search", "canceled", "", "candidate_not_found");
  fake_.update_report(report_id, ReportChange{std::string("complete"), std::string("consider"),
                                              std::nullopt, std::nullopt});
  json event = *fake_.report_event("report.completed", report_id);

  json out = callback(event);
  EXPECT_EQ(out["reply"]["status"], 200);
  EXPECT_EQ(out["event_id"], event["id"]);
  ASSERT_EQ(out["updates"].size(), 1u);
  json u = out["updates"][0];
  EXPECT_EQ(u["order_id"], "pr-10");
  EXPECT_EQ(u["status"], "completed");
  EXPECT_EQ(u["summary"],
            "complete / consider / assessment=null / adjudication=null; 1 canceled screening");
  EXPECT_EQ(u["details"]["sex_offender_search"], "canceled/null (candidate_not_found)");
  EXPECT_EQ(u["details"]["ssn_trace"], "complete/consider");
  EXPECT_EQ(u["details"]["county_criminal_search (San Francisco, CA)"], "complete/clear");
  ASSERT_EQ(u["attachments"].size(), 1u);
  EXPECT_EQ(
      u["attachments"][0]["url"].get<std::string>().rfind(fake_.base_url() + "/documents/", 0), 0u);
  EXPECT_TRUE(u["score"].is_null());
  EXPECT_EQ(u["vendor_state"]["report_id"], report_id);
  EXPECT_EQ(requests_to("GET", "/reports/" + report_id), 1u);
}

TEST_F(CheckrPlugin, ScoreOnlyWhenTheConfigAsksForOne) {
  provider_ = provider(config({{"score", "binary"}}));
  std::string inv = create("pr-11")["vendor_order_id"];
  std::string report_id = fake_.complete_invitation(inv);
  fake_.update_report(report_id, ReportChange{std::string("complete"), std::string("clear"),
                                              std::nullopt, std::nullopt});
  EXPECT_EQ(callback(*fake_.report_event("report.completed", report_id))["updates"][0]["score"],
            100);
}

TEST_F(CheckrPlugin, OutOfOrderEventsYieldTheCurrentState) {
  std::string inv = create("pr-12")["vendor_order_id"];
  std::string report_id = fake_.complete_invitation(inv);
  json created = *fake_.report_event("report.created", report_id);  // taken while pending
  fake_.update_report(report_id, ReportChange{std::string("complete"), std::string("clear"),
                                              std::nullopt, std::nullopt});
  json completed = *fake_.report_event("report.completed", report_id);
  // Delivered newest first: both describe the state Checkr has now, never the stale body.
  EXPECT_EQ(callback(completed)["updates"][0]["status"], "completed");
  EXPECT_EQ(callback(created)["updates"][0]["status"], "completed");
}

TEST_F(CheckrPlugin, EachUpdateOfACallbackCarriesTheEventTimeAsRevision) {
  std::string inv = create("pr-15")["vendor_order_id"];
  std::string report_id = fake_.complete_invitation(inv);
  fake_.update_report(report_id, ReportChange{std::string("complete"), std::string("consider"),
                                              std::nullopt, std::nullopt});
  json completed = *fake_.report_event("report.completed", report_id);
  ASSERT_TRUE(fake_.dispute_report(report_id));
  json disputed = *fake_.report_event("report.disputed", report_id);
  EXPECT_GT(disputed["created_at"].get<std::string>(), completed["created_at"].get<std::string>());

  json a = callback(completed)["updates"][0];
  json b = callback(disputed)["updates"][0];
  EXPECT_EQ(a["revision"],
            *ttb::checkr::parse_iso8601_ms(completed["created_at"].get<std::string>()));
  EXPECT_EQ(b["revision"],
            *ttb::checkr::parse_iso8601_ms(disputed["created_at"].get<std::string>()));
  EXPECT_GT(b["revision"].get<std::int64_t>(), a["revision"].get<std::int64_t>());
  // Both re-fetch the report as it is now: disputed, and still completed for the card.
  EXPECT_EQ(b["status"], "completed");
  EXPECT_EQ(b["summary"].get<std::string>().rfind("dispute / consider", 0), 0u);
  json inv_event = *fake_.invitation_event("invitation.completed", inv);
  EXPECT_EQ(callback(inv_event)["updates"][0]["revision"],
            *ttb::checkr::parse_iso8601_ms(inv_event["created_at"].get<std::string>()));
}

TEST_F(CheckrPlugin, AnEventWithoutAReadableTimeGivesUpdatesWithoutRevision) {
  std::string inv = create("pr-16")["vendor_order_id"];
  json event = *fake_.invitation_event("invitation.created", inv);
  event["created_at"] = "yesterday";
  json u = callback(event)["updates"][0];
  EXPECT_FALSE(u.contains("revision"));
  EXPECT_EQ(u["status"], "sent");
}

TEST_F(CheckrPlugin, DuplicateDeliveriesCarryTheSameEventIdForTheHostToDedupe) {
  std::string inv = create("pr-13")["vendor_order_id"];
  json event = *fake_.invitation_event("invitation.created", inv);
  json a = callback(event), b = callback(event);
  EXPECT_EQ(a["event_id"], event["id"]);
  EXPECT_EQ(b["event_id"], a["event_id"]);
  EXPECT_EQ(a["updates"], b["updates"]);
}

TEST_F(CheckrPlugin, BadSignaturesAre401WithoutUpdatesOrVendorCalls) {
  std::string inv = create("pr-14")["vendor_order_id"];
  json event = *fake_.invitation_event("invitation.completed", inv);
  const auto before = fake_.requests().size();
  for (Signing s :
       {Signing::wrong_key, Signing::tampered, Signing::missing, Signing::placeholder}) {
    json out = callback(event, s);
    EXPECT_EQ(out["reply"]["status"], 401);
    EXPECT_TRUE(out["updates"].empty());
    EXPECT_FALSE(out.contains("event_id"));  // a refused delivery is not remembered
  }
  EXPECT_EQ(fake_.requests().size(), before);  // nothing was re-fetched
}

TEST_F(CheckrPlugin, UnsignedGarbageIsRefusedBeforeParsing) {
  ttb::plugins::CallbackRequest req{
      "POST", "", {{"X-Checkr-Signature", "00"}}, "\xff\xfe{{{not json", ""};
  CallResult r = wait(checkr().handle_callback(req));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(json::parse(r.json)["reply"]["status"], 401);
}

TEST_F(CheckrPlugin, SignedNonJsonIs400) {
  WebhookSender s(fake_.api_key());
  auto d = s.prepare(json("x"));
  d.body = "not json at all";
  d.headers.back().second = ttb::sdk::hmac_sha256_hex(fake_.api_key(), d.body);
  CallResult r = wait(checkr().handle_callback({"POST", "", d.headers, d.body, ""}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(json::parse(r.json)["reply"]["status"], 400);
}

TEST_F(CheckrPlugin, InvitationEventsNameTheOrderByInvitationId) {
  std::string inv = create("pr-15")["vendor_order_id"];
  fake_.complete_invitation(inv);
  json u = callback(*fake_.invitation_event("invitation.completed", inv))["updates"][0];
  EXPECT_EQ(u["vendor_order_id"], inv);
  EXPECT_EQ(u["order_id"], "pr-15");  // the report exists already and leads back to the order
  EXPECT_EQ(u["status"], "pending");
}

TEST_F(CheckrPlugin, ExpiredInvitationFailsTheOrder) {
  std::string inv = create("pr-16")["vendor_order_id"];
  fake_.expire_invitation(inv);
  json u = callback(*fake_.invitation_event("invitation.expired", inv))["updates"][0];
  EXPECT_EQ(u["status"], "failed");
  EXPECT_EQ(u["failure_reason"], "expired");
}

TEST_F(CheckrPlugin, CanceledReportFailsTheOrder) {
  std::string inv = create("pr-17")["vendor_order_id"];
  std::string report_id = fake_.complete_invitation(inv);
  fake_.cancel_report(report_id);
  json u = callback(*fake_.report_event("report.canceled", report_id))["updates"][0];
  EXPECT_EQ(u["status"], "failed");
  EXPECT_EQ(u["failure_reason"], "cancelled");
}

TEST_F(CheckrPlugin, EventsThePluginDoesNotUseAreAcknowledged) {
  json out = callback(fake_.event("package.updated", json{{"id", "pkg_1"}, {"object", "package"}}));
  EXPECT_EQ(out["reply"]["status"], 200);
  EXPECT_TRUE(out["updates"].empty());
  EXPECT_TRUE(fake_.requests().empty());
}

TEST_F(CheckrPlugin, EventAboutAnUnknownReportIsAcknowledgedWithoutUpdates) {
  json out =
      callback(fake_.event("report.completed", json{{"id", "rpt_nope"}, {"object", "report"}}));
  EXPECT_EQ(out["reply"]["status"], 200);
  EXPECT_TRUE(out["updates"].empty());
}

TEST_F(CheckrPlugin, RefetchFailureAsksCheckrToRedeliverLater) {
  std::string inv = create("pr-18")["vendor_order_id"];
  json event = *fake_.invitation_event("invitation.completed", inv);
  fake_.inject(Fault{"GET", "/invitations", 500, 1, std::nullopt, false, 0ms});
  json out = callback(event);
  EXPECT_EQ(out["reply"]["status"], 503);
  EXPECT_FALSE(out.contains("event_id"));  // so the redelivery is not deduped away
  EXPECT_TRUE(out["updates"].empty());
  EXPECT_EQ(callback(event)["reply"]["status"], 200);
}

// ---- fetch_order and cancel_order --------------------------------------------------------------

json order_context(const json& update) {
  return json{{"order_id", update["order_id"]}, {"vendor_order_id", update["vendor_order_id"]},
              {"test_id", "basic_criminal"},    {"status", update["status"]},
              {"candidate", json::object()},    {"vendor_state", update["vendor_state"]}};
}

TEST_F(CheckrPlugin, FetchOrderFollowsTheInvitationToItsReport) {
  json created = create("pr-20");
  CallResult r = wait(checkr().fetch_order(order_context(created).dump()));
  ASSERT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(json::parse(r.json)["status"], "sent");

  std::string report_id = fake_.complete_invitation(created["vendor_order_id"]);
  fake_.update_report(report_id, ReportChange{std::string("complete"), std::string("clear"),
                                              std::nullopt, std::nullopt});
  r = wait(checkr().fetch_order(order_context(created).dump()));
  ASSERT_TRUE(r.ok()) << r.detail;
  json u = json::parse(r.json);
  EXPECT_EQ(u["order_id"], "pr-20");
  EXPECT_EQ(u["status"], "completed");
  EXPECT_EQ(u["vendor_state"]["report_id"], report_id);
  EXPECT_EQ(u["attachments"].size(), 1u);
}

TEST_F(CheckrPlugin, CancelOrderDeletesTheInvitation) {
  json created = create("pr-21");
  CallResult r = wait(checkr().cancel_order(order_context(created).dump()));
  ASSERT_TRUE(r.ok()) << r.detail;
  json u = json::parse(r.json);
  EXPECT_EQ(u["status"], "failed");
  EXPECT_EQ(u["failure_reason"], "cancelled");
  EXPECT_EQ(u["order_id"], "pr-21");
  EXPECT_EQ(requests_to("DELETE", "/invitations/" + created["vendor_order_id"].get<std::string>()),
            1u);
  // Polling afterwards agrees.
  EXPECT_EQ(
      json::parse(wait(checkr().fetch_order(order_context(created).dump())).json)["failure_reason"],
      "cancelled");
}

TEST_F(CheckrPlugin, FetchOrderWithoutVendorOrderIdIsInvalid) {
  EXPECT_EQ(wait(checkr().fetch_order(R"({"order_id":"x"})")).status, CallStatus::invalid);
  EXPECT_EQ(wait(checkr().cancel_order("[]")).status, CallStatus::invalid);
}

// ---- documents not embedded; deleted invitations that vanish ------------------------------------

class CheckrPluginWithoutEmbeddedDocuments : public CheckrPlugin {
 protected:
  static FakeCheckrOptions opts() {
    FakeCheckrOptions o;
    o.embed_documents = false;
    o.forget_deleted_invitations = true;
    return o;
  }
  CheckrPluginWithoutEmbeddedDocuments() : CheckrPlugin(opts()) {}
};

TEST_F(CheckrPluginWithoutEmbeddedDocuments, FetchesDocumentsToFindThePdf) {
  std::string inv = create("pr-30")["vendor_order_id"];
  std::string report_id = fake_.complete_invitation(inv);
  fake_.update_report(report_id, ReportChange{std::string("complete"), std::string("clear"),
                                              std::nullopt, std::nullopt});
  json u = callback(*fake_.report_event("report.completed", report_id))["updates"][0];
  ASSERT_EQ(u["attachments"].size(), 1u);
  EXPECT_EQ(requests_to("GET", "/documents/"), 1u);
}

TEST_F(CheckrPluginWithoutEmbeddedDocuments, DeletedInvitationThatIsGoneStillFailsTheOrder) {
  json created = create("pr-31");
  std::string inv = created["vendor_order_id"];
  json event = *fake_.invitation_event("invitation.deleted", inv);
  ASSERT_TRUE(wait(checkr().cancel_order(order_context(created).dump())).ok());
  json u = callback(event)["updates"][0];
  EXPECT_EQ(u["vendor_order_id"], inv);
  EXPECT_EQ(u["status"], "failed");
  EXPECT_EQ(u["failure_reason"], "cancelled");
}

// ---- the webhook sender against a loopback engine ----------------------------------------------

TEST_F(CheckrPlugin, WebhookSenderDeliversSignedEventsOverHttp) {
  auto router = std::make_shared<ttb::net::Router>();
  std::mutex mu;
  std::vector<json> results;
  router->add("POST", "/callbacks/{tenant}/{provider}", [&](ttb::net::Request& req) {
    CallResult r = wait(checkr().handle_callback({req.method, "", req.headers, req.body, ""}));
    json out = json::parse(r.json);
    std::lock_guard lock(mu);
    results.push_back(out);
    return ttb::net::Response::json(out["reply"]["status"], out["reply"]["body"]);
  });
  ttb::net::ServerOptions so;
  so.port = 0;
  auto server = ttb::net::make_http_server(so, router, {});
  server->start();
  const std::string url =
      "http://127.0.0.1:" + std::to_string(server->port()) + "/callbacks/acme/checkr";

  std::string inv = create("pr-40")["vendor_order_id"];
  std::string report_id = fake_.complete_invitation(inv);
  json created = *fake_.report_event("report.created", report_id);
  fake_.update_report(report_id, ReportChange{std::string("complete"), std::string("clear"),
                                              std::nullopt, std::nullopt});
  json completed = *fake_.report_event("report.completed", report_id);

  EXPECT_EQ(sender_.deliver(url, completed).status, 200);
  EXPECT_EQ(sender_.deliver(url, completed, Signing::wrong_key).status, 401);
  auto dup = sender_.deliver_repeatedly(url, created, 2);
  EXPECT_EQ(dup[0].status, 200);
  EXPECT_EQ(dup[1].status, 200);
  auto reordered = sender_.deliver_out_of_order(url, {created, completed});
  EXPECT_EQ(reordered.size(), 2u);
  server->stop(1s);

  std::lock_guard lock(mu);
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[0]["updates"][0]["status"], "completed");
  EXPECT_TRUE(results[1]["updates"].empty());
  EXPECT_EQ(results[2]["event_id"], results[3]["event_id"]);
}

TEST_F(CheckrPlugin, TheInvitationAnswerAndPollsCarryNoRevision) {
  json created = create("pr-17");
  EXPECT_FALSE(created.contains("revision"));
  CallResult r = wait(checkr().fetch_order(order_context(created).dump()));
  ASSERT_TRUE(r.ok()) << r.detail;
  EXPECT_FALSE(json::parse(r.json).contains("revision"));
}

}  // namespace
