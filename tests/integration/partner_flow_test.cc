// The whole partner flow through the real ttbridged, with the test vendor (testvendor.so and its
// fake) and the fake Teamtailor: Send → invitation → `sent` written → the vendor's signed
// callback → `completed` written with score, summary, report URL, attachments and details; and
// what must not happen: duplicate orders, updates crossing tenants, late callbacks re-pushing.

#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "fakes/testvendor/fake_testvendor.h"

namespace ttb {
namespace {

using fakes::WebhookParams;
using fakes::testvendor::FakeTestVendor;
using fakes::testvendor::Outcome;
using nlohmann::json;
using testing::Engine;
using testing::EngineOptions;
using testing::eventually;
using testing::tenant_yaml;

constexpr const char* kAcmeToken = "acme-flow-token-0123456789";
constexpr const char* kBetaToken = "beta-flow-token-0123456789";

std::string vendor_provider(const FakeTestVendor& vendor, const std::string& name = "testvendor") {
  return "  - name: " + name +
         "\n    plugin: testvendor\n    config: " + vendor.plugin_config().dump() + "\n";
}

class PartnerFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    vendor_ = new FakeTestVendor();
    EngineOptions options;
    options.tenants = {
        {"acme.yaml", tenant_yaml("acme", kAcmeToken, vendor_provider(*vendor_))},
        {"beta.yaml", tenant_yaml("beta", kBetaToken, vendor_provider(*vendor_))},
    };
    engine_ = new Engine(options);
    ASSERT_TRUE(engine_->start()) << engine_->log();
  }
  static void TearDownTestSuite() {
    delete engine_;
    delete vendor_;
    engine_ = nullptr;
    vendor_ = nullptr;
  }

  // A recruiter of `token`'s company sends test t1; returns the partner-result (= order) id once
  // the `sent` result has been written to Teamtailor.
  std::string send_and_wait_sent(const std::string& token, WebhookParams params = {}) {
    auto sent = engine_->sender().send(token, std::move(params));
    EXPECT_EQ(sent.response.status, 202) << sent.response.body;
    std::string id = sent.params.partner_result_id;
    EXPECT_TRUE(engine_->wait_for_status(id, "sent").has_value()) << engine_->log();
    return id;
  }

  // Waits until everything the recruiter should see of `id` was written to Teamtailor.
  static bool settled(const std::string& id) {
    return eventually([&] {
      auto order = engine_->order(id);
      return order && order->result_version > 0 && order->pushed_version == order->result_version;
    });
  }

  static Engine* engine_;
  static FakeTestVendor* vendor_;
};
Engine* PartnerFlow::engine_ = nullptr;
FakeTestVendor* PartnerFlow::vendor_ = nullptr;

TEST_F(PartnerFlow, SendInvitesThenCallbackCompletesTheResultCard) {
  WebhookParams params;
  params.email = "grace@example.org";
  auto sent = engine_->sender().send(kAcmeToken, params);
  ASSERT_EQ(sent.response.status, 202) << sent.response.body;
  const std::string id = sent.params.partner_result_id;

  auto sent_write = engine_->wait_for_status(id, "sent");
  ASSERT_TRUE(sent_write) << engine_->log();
  EXPECT_EQ(sent_write->attributes.value("summary", ""), "Invitation sent to grace@example.org");

  auto invitation = vendor_->invitation_for(id);
  ASSERT_TRUE(invitation);
  EXPECT_EQ(invitation->test, "t1");
  EXPECT_EQ(invitation->email, "grace@example.org");
  EXPECT_EQ(invitation->callback_url.rfind(engine_->base_url() + "/callbacks/acme/testvendor", 0),
            0u)
      << invitation->callback_url;

  Outcome outcome;
  outcome.score = 87;
  outcome.summary = "Strong logic, top decile";
  outcome.report_url = "https://testvendor.example.com/reports/" + invitation->id;
  outcome.attachments =
      json::array({{{"url", "https://testvendor.example.com/r/" + invitation->id + ".pdf"},
                    {"description", "Full report (PDF)"}}});
  outcome.details = {{"sections", {{"logic", 91}, {"speed", 80}}}, {"attempts", 1}};
  auto callback = vendor_->callback(invitation->id, outcome);
  ASSERT_TRUE(callback);
  auto reply = vendor_->deliver(*callback);
  EXPECT_EQ(reply.status, 200) << reply.body << engine_->log();

  auto done = engine_->wait_for_status(id, "completed");
  ASSERT_TRUE(done) << engine_->log();
  const json& a = done->attributes;
  EXPECT_EQ(a.value("assessment", json::object()).value("score", -1), 87) << a.dump();
  EXPECT_EQ(a.value("summary", ""), "Strong logic, top decile");
  EXPECT_EQ(a.value("url", ""), outcome.report_url);
  EXPECT_EQ(a.value("attachments", json()), outcome.attachments) << a.dump();
  EXPECT_EQ(a.value("details", json()), outcome.details) << a.dump();

  auto order = engine_->order(id);
  ASSERT_TRUE(order);
  EXPECT_EQ(order->status, "completed");
  EXPECT_EQ(order->tenant, "acme");
  EXPECT_EQ(order->vendor_order_id, invitation->id);

  // `ttbridge orders show` tells the story, from the webhook to the written result.
  ASSERT_TRUE(settled(id));
  auto [text, code] = engine_->cli({"orders", "show", id, "--config", "ttbridged.yaml", "--json"});
  ASSERT_EQ(code, 0) << text;
  json shown = json::parse(text, nullptr, false);
  ASSERT_TRUE(shown.is_object()) << text;
  std::string story;
  for (const auto& entry : shown["timeline"]) story += entry.value("kind", "") + " ";
  EXPECT_EQ(story.rfind("received ", 0), 0u) << story;
  EXPECT_NE(story.find("pushed"), std::string::npos) << story;
  EXPECT_NE(text.find("completed"), std::string::npos) << text;
}

TEST_F(PartnerFlow, DuplicateWebhookGetsTheSameAnswerAndOneOrder) {
  auto first = engine_->sender().send(kAcmeToken);
  ASSERT_EQ(first.response.status, 202) << first.response.body;
  const std::string id = first.params.partner_result_id;

  // The same partner event again (a redelivery: Teamtailor documents none today, but the answer
  // must not depend on that), and a new event for the same result.
  auto again = engine_->sender().send(kAcmeToken, first.params);
  EXPECT_EQ(again.response.status, first.response.status);
  EXPECT_EQ(again.response.body, first.response.body);
  WebhookParams same_result = first.params;
  same_result.event_id = fakes::random_uuid();
  auto same = engine_->sender().send(kAcmeToken, same_result);
  EXPECT_EQ(same.response.status, first.response.status);
  EXPECT_EQ(same.response.body, first.response.body);
  // A repeated event id naming another result creates nothing either.
  WebhookParams same_event = first.params;
  same_event.partner_result_id = fakes::random_uuid();
  auto replayed = engine_->sender().send(kAcmeToken, same_event);
  EXPECT_EQ(replayed.response.status, first.response.status);
  EXPECT_FALSE(engine_->order(same_event.partner_result_id).has_value());

  ASSERT_TRUE(engine_->wait_for_status(id, "sent")) << engine_->log();
  ASSERT_TRUE(settled(id));
  int invites = 0;
  for (const auto& inv : vendor_->invitations()) invites += inv.reference == id ? 1 : 0;
  EXPECT_EQ(invites, 1);
  EXPECT_FALSE(vendor_->invitation_for(same_event.partner_result_id));
  int sent_writes = 0;
  for (const auto& w : engine_->teamtailor().writes_for(id))
    sent_writes += w.attributes.value("status", "") == "sent" ? 1 : 0;
  EXPECT_EQ(sent_writes, 1);
}

TEST_F(PartnerFlow, CallbackAimedAtAnotherTenantsOrderChangesNothing) {
  const std::string beta_order = send_and_wait_sent(kBetaToken);
  ASSERT_TRUE(settled(beta_order));
  auto invitation = vendor_->invitation_for(beta_order);
  ASSERT_TRUE(invitation);
  const auto before = engine_->order(beta_order);
  ASSERT_TRUE(before);

  // A correctly signed callback for beta's order, but sent to acme's callback route: acme's
  // provider must only ever touch acme's orders.
  Outcome outcome;
  outcome.score = 100;
  outcome.summary = "forged through another tenant";
  auto callback = vendor_->callback(invitation->id, outcome);
  ASSERT_TRUE(callback);
  callback->url = engine_->base_url() + "/callbacks/acme/testvendor/orders/" + beta_order;
  auto reply = vendor_->deliver(*callback);
  EXPECT_LT(reply.status, 500) << reply.body;

  const auto after = engine_->order(beta_order);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, before->status);
  EXPECT_EQ(after->result_version, before->result_version);
  EXPECT_EQ(after->result_json, before->result_json);
  for (const auto& o : engine_->orders("acme")) EXPECT_NE(o.id, beta_order);
  for (const auto& w : engine_->teamtailor().writes_for(beta_order))
    EXPECT_NE(w.attributes.value("status", ""), "completed") << w.attributes.dump();
}

TEST_F(PartnerFlow, LateCallbackAfterTheOrderIsTerminalIsIgnored) {
  const std::string id = send_and_wait_sent(kAcmeToken);
  auto invitation = vendor_->invitation_for(id);
  ASSERT_TRUE(invitation);
  Outcome outcome;
  outcome.score = 55;
  outcome.summary = "Passed";
  auto first = vendor_->callback(invitation->id, outcome);
  ASSERT_TRUE(first);
  ASSERT_EQ(vendor_->deliver(*first).status, 200);
  ASSERT_TRUE(engine_->wait_for_status(id, "completed")) << engine_->log();
  ASSERT_TRUE(settled(id));
  const auto before = engine_->order(id);
  const auto writes_before = engine_->teamtailor().writes_for(id).size();

  // The vendor later claims the test expired, and then reports another score.
  Outcome expired;
  expired.status = "expired";
  auto late = vendor_->callback(invitation->id, expired);
  ASSERT_TRUE(late);
  EXPECT_EQ(vendor_->deliver(*late).status, 200);
  Outcome rescored = outcome;
  rescored.status = "completed";
  rescored.score = 99;
  auto later = vendor_->callback(invitation->id, rescored);
  ASSERT_TRUE(later);
  EXPECT_EQ(vendor_->deliver(*later).status, 200);

  // The callback answer comes after the updates were applied (or ignored) and committed.
  const auto after = engine_->order(id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, "completed");
  EXPECT_EQ(after->result_version, before->result_version);
  EXPECT_EQ(after->result_json, before->result_json);
  EXPECT_EQ(after->pushed_version, after->result_version);
  EXPECT_EQ(engine_->teamtailor().writes_for(id).size(), writes_before);
  EXPECT_EQ(engine_->teamtailor().current(id)["assessment"].value("score", -1), 55);
}

TEST_F(PartnerFlow, CallbackWithABadSignatureIsRefusedAndChangesNothing) {
  const std::string id = send_and_wait_sent(kAcmeToken);
  auto invitation = vendor_->invitation_for(id);
  ASSERT_TRUE(invitation);
  Outcome outcome;
  outcome.score = 1;
  auto callback = vendor_->callback(invitation->id, outcome);
  ASSERT_TRUE(callback);
  callback->signature = "sha256=" + std::string(64, '0');
  EXPECT_EQ(vendor_->deliver(*callback).status, 401);
  auto order = engine_->order(id);
  ASSERT_TRUE(order);
  EXPECT_EQ(order->status, "invited");
}

TEST_F(PartnerFlow, CancelOrderButtonCancelsAtTheVendorAndWritesTheResult) {
  WebhookParams params;
  const std::string id = send_and_wait_sent(kAcmeToken, params);
  params.partner_result_id = id;
  params.event_id = fakes::random_uuid();
  fakes::SendOptions options;
  options.path = "/actions/cancel-order";
  auto pressed = engine_->sender().send(kAcmeToken, params, options);
  EXPECT_EQ(pressed.response.status, 202) << pressed.response.body;

  auto failed = engine_->wait_for_status(id, "failed");
  ASSERT_TRUE(failed) << engine_->log();
  auto invitation = vendor_->invitation_for(id);
  ASSERT_TRUE(invitation);
  EXPECT_EQ(invitation->status, "cancelled");
  auto order = engine_->order(id);
  ASSERT_TRUE(order);
  EXPECT_EQ(order->status, "failed");
  EXPECT_EQ(order->failure_reason, "cancelled");
}

TEST_F(PartnerFlow, ResendButtonSendsTheInvitationAgain) {
  WebhookParams params;
  const std::string id = send_and_wait_sent(kAcmeToken, params);
  params.partner_result_id = id;
  params.event_id = fakes::random_uuid();
  fakes::SendOptions options;
  options.path = "/actions/resend-invitation";
  auto pressed = engine_->sender().send(kAcmeToken, params, options);
  EXPECT_EQ(pressed.response.status, 202) << pressed.response.body;
  EXPECT_TRUE(eventually([&] {
    auto invitation = vendor_->invitation_for(id);
    return invitation && invitation->resends == 1;
  })) << engine_->log();
}

// The card's buttons as Teamtailor shows them: each endpoint, posted to the base URL the way
// Teamtailor posts it (the original partner event, the provider key), does what it says; a
// final card has none.
TEST_F(PartnerFlow, TheCardsButtonsWorkWhenTeamtailorCallsTheirEndpoints) {
  WebhookParams params;
  auto sent = engine_->sender().send(kAcmeToken, params);
  ASSERT_EQ(sent.response.status, 202) << sent.response.body;
  params = sent.params;  // the original partner event: same ids, same body
  const std::string id = params.partner_result_id;
  auto sent_write = engine_->wait_for_status(id, "sent");
  ASSERT_TRUE(sent_write) << engine_->log();
  const json buttons = sent_write->attributes.value("actions", json());
  ASSERT_EQ(buttons, json::parse(R"([
    {"buttonText":"Resend invitation","endpoint":"actions/resend-invitation"},
    {"buttonText":"Cancel order","endpoint":"actions/cancel-order"}])"))
      << sent_write->attributes.dump();

  fakes::SendOptions press;
  press.path = "/" + buttons[0]["endpoint"].get<std::string>();
  auto resent = engine_->sender().send(kAcmeToken, params, press);
  EXPECT_EQ(resent.response.status, 202) << resent.response.body;
  EXPECT_TRUE(eventually([&] {
    auto invitation = vendor_->invitation_for(id);
    return invitation && invitation->resends == 1;
  })) << engine_->log();

  press.path = "/" + buttons[1]["endpoint"].get<std::string>();
  auto cancelled = engine_->sender().send(kAcmeToken, params, press);
  EXPECT_EQ(cancelled.response.status, 202) << cancelled.response.body;
  auto failed = engine_->wait_for_status(id, "failed");
  ASSERT_TRUE(failed) << engine_->log();
  EXPECT_EQ(failed->attributes.value("actions", json()), json::array())
      << "a final card drops its buttons: " << failed->attributes.dump();
  EXPECT_EQ(vendor_->invitation_for(id)->status, "cancelled");
}

TEST_F(PartnerFlow, TimelineTellsTheStoryOfAnOrder) {
  const std::string id = send_and_wait_sent(kAcmeToken);
  ASSERT_TRUE(settled(id));
  std::vector<std::string> events;
  for (const auto& entry : engine_->timeline(id)) events.push_back(entry.event);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front(), "received");
  EXPECT_NE(std::find(events.begin(), events.end(), "pushed"), events.end())
      << ::testing::PrintToString(events);
}

}  // namespace
}  // namespace ttb
