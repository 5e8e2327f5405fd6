#pragma once
// A real store, SQLite in a fresh temp directory or PostgreSQL in a fresh schema of the test
// database, with a settable clock; removed after the test. Shared by the store, orders and jobs
// tests (SQLite unless a test is instantiated for every store: StoreContractFixture).

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "pg_test_schema.h"
#include "store/store.h"

namespace ttb::store::testing {

// A clock tests move by hand; readable from any thread.
class ManualClock {
 public:
  ManualClock() : ms_(1'700'000'000'000) {}
  TimePoint now() const { return TimePoint(std::chrono::milliseconds(ms_.load())); }
  void advance(std::chrono::milliseconds d) { ms_ += d.count(); }
  Clock fn() {
    return [this] { return now(); };
  }

 private:
  std::atomic<std::int64_t> ms_;
};

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ttb-store-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

enum class Backend { sqlite, postgresql };

inline std::string to_string(Backend backend) {
  return backend == Backend::sqlite ? "SQLite" : "PostgreSQL";
}
// How GoogleTest names the parameter in a test's output.
inline void PrintTo(Backend backend, std::ostream* out) {
  *out << to_string(backend);
}

class StoreFixture : public ::testing::Test {
 protected:
  virtual Backend backend() const { return Backend::sqlite; }

  // PostgreSQL: a schema of the test database, or a skip when none was configured (a test binary
  // run by hand), or a failure when one was promised (under ctest) and is not there. A subclass's
  // SetUp calls this first and returns when IsSkipped() or HasFatalFailure().
  void SetUp() override {
    if (backend() != Backend::postgresql) return;
    const auto database = ttb::testing::pg_test_database();
    if (!database.url) {
      if (!database.problem.empty()) FAIL() << database.problem;
      GTEST_SKIP() << "no PostgreSQL for this test: set TTB_TEST_PG_URL, or run it with ctest, "
                      "which starts one (docs/building.md)";
    }
    try {
      pg_ = std::make_unique<ttb::testing::PgTestSchema>(*database.url);
    } catch (const PgError& e) {
      FAIL() << "the PostgreSQL test database is unreachable: " << e.what();
    }
  }

  std::string url() const {
    if (pg_) return pg_->url();
    return "sqlite://" + (dir_.path() / "ttb.db").string();
  }

  std::unique_ptr<Store> open(StoreOptions options = {}) {
    if (!options.clock) options.clock = clock_.fn();
    auto opened = open_store(url(), std::move(options));
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::move(*opened) : nullptr;
  }

  // The first column of the first row of `sql`, read beside the store (a count, usually).
  int count_rows(const std::string& sql) {
    if (pg_) {
      auto rows = pg_->admin().exec(sql);
      return rows.empty() ? 0 : static_cast<int>(rows.int64(0, 0));
    }
    sqlite3* db = nullptr;
    sqlite3_open((dir_.path() / "ttb.db").string().c_str(), &db);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    int n = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) n = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return n;
  }

  static NewOrder order(const std::string& id, const std::string& event_id,
                        const std::string& tenant = "acme",
                        const std::string& provider = "codility") {
    NewOrder o;
    o.id = id;
    o.event_id = event_id;
    o.tenant = tenant;
    o.provider = provider;
    o.test_id = "cpp-60";
    o.company_uuid = "aB3dE5fG7hJ";
    o.candidate_json =
        R"({"id":"1001","first_name":"Ada","last_name":"Lovelace","email":"ada@example.org","phone":""})";
    o.job_json = R"({"id":"77","title":"C++ Engineer"})";
    o.options_json = R"({"test":"codility:cpp-60"})";
    o.callback_url = "https://ttb.example/callbacks/" + tenant + "/" + provider + "/orders/" + id;
    o.answer_status = 202;
    o.answer_body = "accepted " + id;
    return o;
  }

  // A change of `order_id`'s status, made on its version `expected_version`.
  static OrderChange status_change(const std::string& order_id, std::int64_t expected_version,
                                   const std::string& status) {
    OrderChange change;
    change.order_id = order_id;
    change.expected_version = expected_version;
    change.status = status;
    return change;
  }

  // A poll job of `order_id` for acme's codility (an order that may not exist).
  static NewJob poll_job(const std::string& order_id) {
    NewJob job;
    job.order_id = order_id;
    job.tenant = "acme";
    job.provider = "codility";
    job.kind = JobKind::poll;
    return job;
  }

  TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<ttb::testing::PgTestSchema> pg_;  // PostgreSQL only
};

// The tests of the store contract, run once per store implementation (TEST_P, and
// TTB_FOR_EVERY_STORE after the fixture).
class StoreContractFixture : public StoreFixture, public ::testing::WithParamInterface<Backend> {
 protected:
  Backend backend() const override { return GetParam(); }
};

// A contract test with its store opened before each test (default options), for the test classes
// that need nothing else of SetUp. A subclass's SetUp calls this one first and returns when
// IsSkipped() or HasFatalFailure().
class OpenStoreContractFixture : public StoreContractFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    store_ = open();
    ASSERT_TRUE(store_);
  }

  std::unique_ptr<Store> store_;
};

#define TTB_FOR_EVERY_STORE(Fixture)                                                \
  INSTANTIATE_TEST_SUITE_P(                                                         \
      EveryStore, Fixture, ::testing::Values(Backend::sqlite, Backend::postgresql), \
      [](const ::testing::TestParamInfo<Backend>& info) { return to_string(info.param); })

}  // namespace ttb::store::testing
