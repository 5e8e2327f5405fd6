// An invitation the vendor refuses for good, through the real ttbridged and the fakes: the
// recruiter's card goes to `failed` with a summary they can act on (never the vendor's error body
// or a secret), and once the operator has fixed the cause, `ttbridge orders replay ID --step
// invite` or `ttbridge jobs retry JOB` reopens the order and the card moves on to `sent`.

#include <gtest/gtest.h>

#include "loopback_stack.h"

namespace ttb {
namespace {

using demo::LoopbackStack;
using fakes::codility::Fault;
using nlohmann::json;
using testing::eventually;

constexpr const char* kTest = "T100";
constexpr const char* kCredentialsRefused =
    "The vendor refused our credentials; your administrator has been told.";

class InviteFailureCard : public ::testing::Test {
 protected:
  void SetUp() override {
    codility().add_test({kTest, "Backend (C++)", false});
    ASSERT_TRUE(stack_.start()) << stack_.engine().log();
    // List the tests first, so that the fault hits the invite job's first request.
    json form = stack_.engine().config_form(LoopbackStack::kActivationToken);
    ASSERT_NE(form.dump().find(std::string("codility:") + kTest), std::string::npos) << form.dump();
  }

  std::string send() {
    fakes::WebhookParams params;
    params.test = std::string("codility:") + kTest;
    params.email = "ada@example.org";
    params.update_url_base = stack_.teamtailor().api_url();
    auto sent = stack_.recruiter().send(LoopbackStack::kActivationToken, params);
    EXPECT_EQ(sent.response.status, 202) << sent.response.body;
    return sent.params.partner_result_id;
  }

  json card(const std::string& id) {
    json current = stack_.teamtailor().current(id);
    return current.is_object() ? current : json::object();
  }
  bool card_reaches(const std::string& id, const std::string& status) {
    return eventually([&] { return card(id).value("status", "") == status; });
  }

  // Codility answers 401 to the invitation: the card fails with the credentials summary.
  std::string refused_order() {
    codility().inject(Fault::error(401));
    std::string id = send();
    EXPECT_TRUE(card_reaches(id, "failed")) << stack_.engine().log();
    const auto writes = stack_.teamtailor().writes_for(id);
    EXPECT_FALSE(writes.empty());
    if (writes.empty()) return id;
    const json& last = writes.back().attributes;
    EXPECT_EQ(last.value("status", ""), "failed") << last.dump();
    EXPECT_EQ(last.value("summary", ""), kCredentialsRefused) << last.dump();
    const std::string written = last.dump();
    EXPECT_EQ(written.find(codility().api_token()), std::string::npos) << written;
    EXPECT_EQ(written.find("injected"), std::string::npos) << written;  // the vendor's body
    auto order = stack_.engine().order(id);
    EXPECT_TRUE(order && order->status == "failed");
    EXPECT_EQ(codility().invitations_created(), 0);
    return id;
  }

  // After the reopen, the invitation goes out once and the card moves on from failed.
  void expect_sent_after_reopen(const std::string& id) {
    ASSERT_TRUE(card_reaches(id, "sent")) << stack_.engine().log();
    EXPECT_EQ(codility().invitations_created(), 1);
    auto order = stack_.engine().order(id);
    ASSERT_TRUE(order);
    EXPECT_EQ(order->status, "invited");
    bool reopened = false;
    for (const auto& line : stack_.engine().timeline(id)) {
      if (line.event == "reopened") {
        reopened = true;
        EXPECT_NE(line.detail.find("reopened by the operator"), std::string::npos) << line.detail;
      }
    }
    EXPECT_TRUE(reopened);
  }

  fakes::codility::FakeCodility& codility() { return stack_.codility(); }

  LoopbackStack stack_;
};

TEST_F(InviteFailureCard, RefusedCredentialsFailTheCardAndReplayedInviteSendsIt) {
  const std::string id = refused_order();
  // Nothing left to inject: the operator has fixed the vendor's credentials.
  auto [text, code] = stack_.engine().cli(
      {"orders", "replay", id, "--step", "invite", "--config", "ttbridged.yaml"});
  ASSERT_EQ(code, 0) << text;
  expect_sent_after_reopen(id);
}

TEST_F(InviteFailureCard, RetriedDeadInviteReopensTheOrderAndSendsIt) {
  const std::string id = refused_order();
  auto [listed, listed_code] =
      stack_.engine().cli({"jobs", "list", "--dead", "--json", "--config", "ttbridged.yaml"});
  ASSERT_EQ(listed_code, 0) << listed;
  json dead = json::parse(listed, nullptr, false);
  ASSERT_TRUE(dead.is_object()) << listed;
  std::int64_t job_id = 0;
  for (const auto& job : dead["jobs"]) {
    if (job.value("order_id", "") == id && job.value("kind", "") == "invite") {
      job_id = job.value("id", std::int64_t{0});
    }
  }
  ASSERT_NE(job_id, 0) << listed;
  auto [text, code] =
      stack_.engine().cli({"jobs", "retry", std::to_string(job_id), "--config", "ttbridged.yaml"});
  ASSERT_EQ(code, 0) << text;
  expect_sent_after_reopen(id);
}

}  // namespace
}  // namespace ttb
