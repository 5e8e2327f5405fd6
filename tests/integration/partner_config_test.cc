// GET /config through the real ttbridged: one optgroup per provider with `<provider>:<test>`
// option ids; a vendor that cannot be reached and was never listed gives an error field; bad
// credentials answer 200 with an error field, as Teamtailor renders whatever /config returns.

#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "fakes/testvendor/fake_testvendor.h"

namespace ttb {
namespace {

using fakes::testvendor::FakeTestVendor;
using nlohmann::json;
using testing::Engine;
using testing::EngineOptions;
using testing::tenant_yaml;

std::string provider(const std::string& name, const FakeTestVendor& vendor, bool enabled = true) {
  return "  - name: " + name +
         "\n    plugin: testvendor\n    config: " + vendor.plugin_config().dump() + "\n" +
         (enabled ? "" : "    enabled: false\n");
}

// The fields of a /config answer.
json fields(const json& form) {
  if (!form.is_object() || !form.contains("config")) return json::array();
  return form["config"].value("fields", json::array());
}

std::optional<json> field_of_type(const json& form, const std::string& type) {
  for (const auto& f : fields(form))
    if (f.value("type", "") == type) return f;
  return std::nullopt;
}

class PartnerConfig : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    main_vendor_ = new FakeTestVendor();
    second_vendor_ = new FakeTestVendor();
    second_vendor_->set_tests({{"x1", "Excel basics", 15}});
    down_vendor_ = new FakeTestVendor();
    down_vendor_->set_down(true);
    EngineOptions options;
    options.tenants = {
        {"acme.yaml",
         tenant_yaml("acme", "acme-config-token-0123456789",
                     provider("testvendor", *main_vendor_) + provider("sheets", *second_vendor_) +
                         provider("paused", *main_vendor_, false))},
        {"gamma.yaml",
         tenant_yaml("gamma", "gamma-config-token-0123456789", provider("flaky", *down_vendor_))},
    };
    engine_ = new Engine(options);
    ASSERT_TRUE(engine_->start()) << engine_->log();
  }
  static void TearDownTestSuite() {
    delete engine_;
    delete main_vendor_;
    delete second_vendor_;
    delete down_vendor_;
  }

  static Engine* engine_;
  static FakeTestVendor* main_vendor_;
  static FakeTestVendor* second_vendor_;
  static FakeTestVendor* down_vendor_;
};
Engine* PartnerConfig::engine_ = nullptr;
FakeTestVendor* PartnerConfig::main_vendor_ = nullptr;
FakeTestVendor* PartnerConfig::second_vendor_ = nullptr;
FakeTestVendor* PartnerConfig::down_vendor_ = nullptr;

TEST_F(PartnerConfig, ListsOneOptgroupPerEnabledProvider) {
  json form =
      engine_->config_form("acme-config-token-0123456789", "job_id=77&stage_id=3&user_id=9");
  auto select = field_of_type(form, "select");
  ASSERT_TRUE(select) << form.dump();
  EXPECT_EQ(select->value("id", ""), "test");
  EXPECT_TRUE(select->value("required", false));
  const json& groups = (*select)["optgroups"];
  ASSERT_EQ(groups.size(), 2u) << form.dump();

  std::map<std::string, std::vector<std::string>> ids;
  for (const auto& group : groups) {
    std::vector<std::string>& options = ids[group.value("label", "")];
    for (const auto& option : group["options"]) {
      options.push_back(option.value("id", ""));
      EXPECT_FALSE(option.value("label", "").empty());
    }
  }
  EXPECT_EQ(ids["testvendor"], (std::vector<std::string>{"testvendor:t1", "testvendor:t2"}))
      << form.dump();
  EXPECT_EQ(ids["sheets (testvendor)"], (std::vector<std::string>{"sheets:x1"})) << form.dump();
  EXPECT_EQ(form.dump().find("paused"), std::string::npos) << form.dump();
  EXPECT_FALSE(field_of_type(form, "error"));
}

TEST_F(PartnerConfig, AVendorNeverReachedGivesAnErrorFieldThenListsOnceItIsBack) {
  json form = engine_->config_form("gamma-config-token-0123456789");
  auto error = field_of_type(form, "error");
  ASSERT_TRUE(error) << form.dump();
  EXPECT_NE(error->value("message", "").find("flaky"), std::string::npos) << form.dump();
  EXPECT_FALSE(field_of_type(form, "select"));

  // Nothing was known, so the next request asks the vendor again.
  down_vendor_->set_down(false);
  json back = engine_->config_form("gamma-config-token-0123456789");
  auto select = field_of_type(back, "select");
  ASSERT_TRUE(select) << back.dump();
  EXPECT_EQ((*select)["optgroups"][0]["options"][0].value("id", ""), "flaky:t1");
}

TEST_F(PartnerConfig, BadCredentialsAnswer200WithAnErrorField) {
  for (auto mode :
       {fakes::BearerMode::jwt, fakes::BearerMode::bad_jwt, fakes::BearerMode::missing}) {
    SCOPED_TRACE(static_cast<int>(mode));
    auto response = engine_->sender().get("/config?job_id=1", "unknown-token", mode);
    EXPECT_EQ(response.status, 200);
    json form = json::parse(response.body, nullptr, false);
    EXPECT_TRUE(field_of_type(form, "error")) << response.body;
    EXPECT_FALSE(field_of_type(form, "select")) << response.body;
  }
}

}  // namespace
}  // namespace ttb
