#pragma once
// Test support: a fresh temp dir per test with helpers to write a main config and tenant files,
// an injectable environment, and lookups over the problems a load returns.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "config/load.h"

namespace ttb::config::testing {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("ttb_config_test_" + std::to_string(rd()) + "_" + std::to_string(rd()));
    std::filesystem::create_directories(dir_ / "tenants");
    std::filesystem::create_directories(dir_ / "plugins");
    env_["TT_KEY"] = "tt-api-key-value-1";
    env_["TT_SECRET"] = "tt-webhook-secret-value-2";
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::filesystem::path write(const std::string& relative, const std::string& text) {
    std::filesystem::path path = dir_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // A main config whose dirs point into the temp dir; `extra` replaces the teamtailor section
  // when given.
  std::filesystem::path write_main(const std::string& teamtailor = "") {
    const std::string tt = teamtailor.empty() ? "teamtailor:\n"
                                                "  api_key: \"${env:TT_KEY}\"\n"
                                                "  webhook_secret: \"${env:TT_SECRET}\"\n"
                                              : teamtailor;
    return write("ttbridged.yaml", "server:\n  public_url: \"https://tt.example.com\"\n" + tt +
                                       "plugins:\n  dir: \"" + (dir_ / "plugins").string() +
                                       "\"\n"
                                       "tenants:\n  dir: \"" +
                                       (dir_ / "tenants").string() + "\"\n");
  }

  void add_plugin(const std::string& name) { write("plugins/" + name + ".so", "not really elf"); }

  MainSettings main_settings() const {
    MainSettings main;
    main.file = dir_ / "ttbridged.yaml";
    main.plugins_dir = dir_ / "plugins";
    main.tenants_dir = dir_ / "tenants";
    return main;
  }

  Environment env() const {
    return [env = env_](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
  }

  LoadResult load() { return load_config(dir_ / "ttbridged.yaml", env()); }

  static std::string all(const std::vector<Problem>& problems) {
    std::string out;
    for (const Problem& p : problems) out += p.to_string() + "\n";
    return out;
  }

  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
};

// Finds the one problem whose message contains `needle`; fails the test otherwise.
inline const Problem* find_problem(const std::vector<Problem>& problems,
                                   const std::string& needle) {
  const Problem* found = nullptr;
  int count = 0;
  for (const Problem& p : problems) {
    if (p.message.find(needle) != std::string::npos) {
      found = &p;
      ++count;
    }
  }
  EXPECT_EQ(count, 1) << "problems containing '" << needle << "'";
  return found;
}

#define EXPECT_PROBLEM_AT(problems, needle, line_, column_)                                        \
  do {                                                                                             \
    const ::ttb::config::Problem* p_ = ::ttb::config::testing::find_problem((problems), (needle)); \
    ASSERT_NE(p_, nullptr) << ConfigTest::all(problems);                                           \
    EXPECT_EQ(p_->where.line, (line_)) << p_->to_string();                                         \
    EXPECT_EQ(p_->where.column, (column_)) << p_->to_string();                                     \
  } while (0)

}  // namespace ttb::config::testing
