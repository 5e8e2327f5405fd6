// What the recruiter's pop-up shows and what reaches the vendor, through the real ttbridged and
// the real Checkr and HackerRank plugins: each test's duration (in its label) and description
// (in an infobox) in GET /config, and the job's title and stage from Teamtailor's webhook in the
// order request, which Checkr puts on the invitation's tags (job_tags) and the candidate's
// metadata, and HackerRank in the invite's metadata.

#include <algorithm>

#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "fakes/checkr/fake_checkr.h"
#include "fakes/hackerrank/fake_hackerrank.h"

namespace ttb {
namespace {

using nlohmann::json;
using testing::Engine;
using testing::EngineOptions;

constexpr const char* kToken = "acme-job-context-token-0123456789";

class JobContext : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    checkr_ = new fakes::checkr::FakeCheckr();
    hackerrank_ = new fakes::hackerrank::FakeHackerRank();
    hackerrank_->add_test({"java", "Java", 90, false, "active"});
    const std::string providers =
        "  - name: checkr\n"
        "    plugin: checkr\n"
        "    config:\n"
        "      api_key: \"" +
        checkr_->api_key() + "\"\n      base_url: \"" + checkr_->base_url() +
        "\"\n"
        "      work_location: { country: US, state: CA }\n"
        "      tags: [teamtailor]\n"
        "      job_tags: true\n"
        "  - name: hackerrank\n"
        "    plugin: hackerrank\n"
        "    config:\n"
        "      api_key: \"" +
        hackerrank_->api_key() + "\"\n      base_url: \"" + hackerrank_->base_url() + "\"\n";
    EngineOptions options;
    options.tenants = {{"acme.yaml", testing::tenant_yaml("acme", kToken, providers)}};
    engine_ = new Engine(options);
    ASSERT_TRUE(engine_->start()) << engine_->log();
  }
  static void TearDownTestSuite() {
    delete engine_;
    delete hackerrank_;
    delete checkr_;
  }

  std::string send(const std::string& test) {
    fakes::WebhookParams params;
    params.test = test;
    params.update_url_base = engine_->teamtailor().api_url();
    auto sent = engine_->sender().send(kToken, params);
    EXPECT_EQ(sent.response.status, 202) << sent.response.body;
    return sent.params.partner_result_id;
  }

  static inline fakes::checkr::FakeCheckr* checkr_ = nullptr;
  static inline fakes::hackerrank::FakeHackerRank* hackerrank_ = nullptr;
  static inline Engine* engine_ = nullptr;
};

TEST_F(JobContext, PopUpShowsEachTestsDurationAndDescription) {
  const json form = engine_->config_form(kToken);
  const json& fields = form["config"]["fields"];
  ASSERT_TRUE(fields.is_array()) << form.dump();
  std::vector<std::string> labels;
  std::string infobox;
  for (const auto& field : fields) {
    if (field.value("id", "") == "test") {
      for (const auto& group : field["optgroups"])
        for (const auto& option : group["options"]) labels.push_back(option.value("label", ""));
    }
    if (field.value("type", "") == "infobox" && field.value("icon", "") == "info")
      infobox = field.value("content", "");
  }
  EXPECT_NE(std::find(labels.begin(), labels.end(), "Java (90 min)"), labels.end()) << form.dump();
  EXPECT_NE(std::find(labels.begin(), labels.end(), "Basic Criminal"), labels.end()) << form.dump();
  // Checkr describes a package by its screenings.
  EXPECT_NE(infobox.find("<strong>Basic Criminal</strong>: ssn trace"), std::string::npos)
      << form.dump();
}

TEST_F(JobContext, CheckrTagsTheInvitationWithTheJobTitleAndStage) {
  const std::string id = send("checkr:basic_criminal");
  ASSERT_TRUE(engine_->wait_for_status(id, "sent")) << engine_->log();
  auto invitations = checkr_->invitation_ids();
  ASSERT_FALSE(invitations.empty());
  auto invitation = checkr_->invitation(invitations.back());
  ASSERT_TRUE(invitation);
  EXPECT_EQ((*invitation)["tags"], json::array({"teamtailor", "C++ Engineer", "Screening"}))
      << invitation->dump();
  auto candidate = checkr_->candidate((*invitation)["candidate_id"].get<std::string>());
  ASSERT_TRUE(candidate);
  EXPECT_EQ((*candidate)["metadata"].value("teamtailor_job_title", ""), "C++ Engineer");
  EXPECT_EQ((*candidate)["metadata"].value("teamtailor_job_stage", ""), "Screening");
}

TEST_F(JobContext, HackerRankCarriesTheStageInTheInviteMetadata) {
  const std::string id = send("hackerrank:java");
  ASSERT_TRUE(engine_->wait_for_status(id, "sent")) << engine_->log();
  auto bodies = hackerrank_->invite_bodies();
  ASSERT_FALSE(bodies.empty());
  const json& metadata = bodies.back()["invite_metadata"];
  EXPECT_EQ(metadata.value("job_title", ""), "C++ Engineer");
  EXPECT_EQ(metadata.value("job_stage", ""), "Screening");
  EXPECT_EQ(metadata.value("ttbridge_order_id", ""), id);
}

}  // namespace
}  // namespace ttb
