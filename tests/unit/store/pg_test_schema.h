#pragma once
// A fresh schema in the test PostgreSQL database for one test, dropped afterwards: the store
// opened on url() sees only its own tables. The database comes from TTB_TEST_PG_URL, or from the
// file TTB_TEST_PG_URL_FILE names (written by tests/support/pg_cluster.sh, which ctest runs as a
// fixture; docs/building.md).

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "store/pg_connection.h"

namespace ttb::testing {

// Where the test database is said to be. nullopt: nobody said (a developer running a test binary
// by hand), so PostgreSQL tests skip. A URL file that is named but missing is an error: ctest's
// fixture should have written it.
struct PgTestDatabase {
  std::optional<std::string> url;
  std::string problem;  // set when a database was promised but cannot be found
};

inline PgTestDatabase pg_test_database() {
  if (const char* url = std::getenv("TTB_TEST_PG_URL"); url && *url) return {url, ""};
  const char* file = std::getenv("TTB_TEST_PG_URL_FILE");
  if (!file || !*file) return {};
  std::ifstream in(file);
  std::string url;
  if (!std::getline(in, url) || url.empty()) {
    return {std::nullopt, std::string("TTB_TEST_PG_URL_FILE names ") + file +
                              ", which holds no URL: the pg_cluster_start test (ctest fixture "
                              "pg_cluster) did not start PostgreSQL; see its output"};
  }
  return {url, ""};
}

class PgTestSchema {
 public:
  // Creates the schema; throws store::PgError when the database cannot be reached.
  explicit PgTestSchema(const std::string& database_url) : database_url_(database_url) {
    static std::atomic<int> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    name_ = "ttb_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
            std::to_string(stamp % 1000000);
    admin_ = std::make_unique<store::PgConnection>(database_url_);
    admin_->exec("CREATE SCHEMA " + name_);
  }
  PgTestSchema(const PgTestSchema&) = delete;
  PgTestSchema& operator=(const PgTestSchema&) = delete;
  ~PgTestSchema() {
    try {
      admin_->exec("DROP SCHEMA " + name_ + " CASCADE");
    } catch (const store::PgError&) {
      // The cluster is going away with the fixture anyway.
    }
  }

  // The database URL with this schema first on the search path (libpq's `options`), and the
  // schema's name as the connections' application_name, so a test can find them.
  std::string url() const {
    std::string out = database_url_;
    out += database_url_.find('?') == std::string::npos ? '?' : '&';
    out += "options=-csearch_path%3D";
    out += name_;
    out += "&application_name=";
    out += name_;
    return out;
  }
  const std::string& name() const { return name_; }
  // A connection on this schema, for tests that look at rows directly.
  store::PgConnection& admin() {
    admin_->exec("SET search_path = " + name_);
    return *admin_;
  }

 private:
  std::string database_url_;
  std::string name_;
  std::unique_ptr<store::PgConnection> admin_;
};

}  // namespace ttb::testing
