// store copy: every table's every row arrives unchanged, in each direction between SQLite and
// PostgreSQL; a target that holds anything is refused and left as it was; a source this build
// cannot read faithfully is refused.

#include "store/store_copy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "store/copy_endpoints.h"
#include "store/sqlite_db.h"
#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

using namespace std::chrono_literals;

struct Ends {
  Backend from;
  Backend to;
};

void PrintTo(const Ends& ends, std::ostream* out) {
  *out << to_string(ends.from) << "To" << to_string(ends.to);
}

// Every row of every copied table, as text, in primary-key order.
using Snapshot = std::map<std::string, std::vector<CopyRow>>;

class StoreCopyTest : public ::testing::TestWithParam<Ends> {
 protected:
  void SetUp() override {
    if (GetParam().from != Backend::postgresql && GetParam().to != Backend::postgresql) return;
    const auto database = ttb::testing::pg_test_database();
    if (!database.url) {
      if (!database.problem.empty()) FAIL() << database.problem;
      GTEST_SKIP() << "no PostgreSQL for this test: set TTB_TEST_PG_URL, or run it with ctest";
    }
    try {
      from_pg_ = std::make_unique<ttb::testing::PgTestSchema>(*database.url);
      to_pg_ = std::make_unique<ttb::testing::PgTestSchema>(*database.url);
    } catch (const PgError& e) {
      FAIL() << "the PostgreSQL test database is unreachable: " << e.what();
    }
  }

  std::string from_url() const {
    if (GetParam().from == Backend::postgresql) return from_pg_->url();
    return "sqlite://" + (dir_.path() / "from.db").string();
  }
  std::string to_url() const {
    if (GetParam().to == Backend::postgresql) return to_pg_->url();
    return "sqlite://" + (dir_.path() / "to.db").string();
  }

  std::unique_ptr<Store> open(const std::string& url) {
    StoreOptions options;
    options.clock = clock_.fn();
    auto opened = open_store(url, std::move(options));
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::move(*opened) : nullptr;
  }

  static NewOrder order(const std::string& id) {
    NewOrder o;
    o.id = id;
    o.event_id = "ev-" + id;
    o.tenant = "acme";
    o.provider = "codility";
    o.test_id = "cpp-60";
    o.company_uuid = "aB3dE5fG7hJ";
    o.candidate_json = R"({"id":"1001","first_name":"Ada","email":"ada@example.org"})";
    o.job_json = R"({"id":"77","title":"C++ \"Engineer\"\ttab"})";
    o.options_json = R"({"test":"codility:cpp-60"})";
    o.callback_url = "https://ttb.example/callbacks/acme/codility/orders/" + id;
    o.answer_status = 202;
    o.answer_body = "accepted " + id;
    return o;
  }

  // A source with rows in every table: orders with their invite jobs and timelines, a finished
  // and a dead job, webhook sightings and callback event keys.
  void fill_source() {
    auto store = open(from_url());
    ASSERT_TRUE(store);
    for (int i = 0; i < 25; ++i) {
      ASSERT_TRUE(store->accept_order(order("o" + std::to_string(i))));
      clock_.advance(10ms);
    }
    ASSERT_TRUE(store->record_webhook_sighting({"ev-seen", "digest"}));
    ASSERT_TRUE(store->record_callback_event({"acme", "codility", "cb-1"}));
    auto claimed = store->claim_due_jobs(ClaimRequest(clock_.now() + 1s, 2));
    ASSERT_TRUE(claimed);
    ASSERT_EQ(claimed->size(), 2u);
    ASSERT_TRUE(store->finish_job((*claimed)[0]));
    ASSERT_TRUE(store->kill_job((*claimed)[1], "refused: \"quoted\"\nsecond line"));
    store->close();
  }

  static Snapshot snapshot(const std::string& url) {
    std::unique_ptr<CopySource> source =
        url.rfind("sqlite://", 0) == 0 ? open_sqlite_source(url.substr(9)) : open_pg_source(url);
    Snapshot out;
    for (const auto& table : copied_tables()) {
      auto columns = source->columns(table);
      std::sort(columns.begin(), columns.end());  // the two databases order added columns alike,
                                                  // but compare by name regardless
      const std::string key = table == "callback_events" ? "tenant, provider, event_id"
                              : table == "webhook_events" || table == "webhook_sightings"
                                  ? "event_id"
                                  : "id";
      auto& rows = out[table];
      source->read(table, columns, key, 7, [&rows](const std::vector<CopyRow>& batch) {
        rows.insert(rows.end(), batch.begin(), batch.end());
      });
    }
    return out;
  }

  TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<ttb::testing::PgTestSchema> from_pg_;
  std::unique_ptr<ttb::testing::PgTestSchema> to_pg_;
};

TEST_P(StoreCopyTest, CopiesEveryRowOfEveryTableUnchanged) {
  fill_source();
  std::vector<CopyProgress> seen;
  auto report = copy_store(from_url(), to_url(), [&](const CopyProgress& p) { seen.push_back(p); });
  ASSERT_TRUE(report) << report.error().message;

  const Snapshot before = snapshot(from_url());
  const Snapshot after = snapshot(to_url());
  for (const auto& table : copied_tables()) {
    EXPECT_EQ(after.at(table), before.at(table)) << table;
  }
  EXPECT_EQ(before.at("orders").size(), 25u);
  EXPECT_EQ(before.at("jobs").size(), 25u);
  EXPECT_FALSE(before.at("timeline").empty());
  EXPECT_EQ(before.at("webhook_sightings").size(), 1u);
  EXPECT_EQ(before.at("callback_events").size(), 1u);

  std::int64_t rows = 0;
  for (const auto& [table, list] : before) rows += static_cast<std::int64_t>(list.size());
  EXPECT_EQ(report->rows, rows);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().done, rows);
  EXPECT_EQ(seen.back().total, rows);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end(),
                             [](const auto& a, const auto& b) { return a.done < b.done; }));
}

TEST_P(StoreCopyTest, TheCopiedStoreServesAndNumbersNewJobsAfterTheCopiedOnes) {
  fill_source();
  ASSERT_TRUE(copy_store(from_url(), to_url(), {}));
  auto store = open(to_url());
  ASSERT_TRUE(store);
  auto got = store->get_order("o3");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->callback_url, order("o3").callback_url);
  // Its lines are found by the order: a SQLite target derives the key they are found by.
  auto lines = store->timeline("o3");
  ASSERT_TRUE(lines) << lines.error().message;
  EXPECT_EQ(lines->size(), 1u);
  auto jobs = store->list_jobs(JobFilter{});
  ASSERT_TRUE(jobs);
  std::int64_t highest = 0;
  for (const auto& j : *jobs) highest = std::max(highest, j.id);

  ASSERT_TRUE(store->accept_order(order("new")));
  auto all = store->list_jobs(JobFilter{});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), jobs->size() + 1);
  EXPECT_GT(all->back().id, highest);
  // A sighting copied from the source still dedupes.
  auto again = store->record_webhook_sighting({"ev-seen", "digest"});
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, SightingOutcome::same_body);
}

TEST_P(StoreCopyTest, RefusesATargetThatHoldsAnOrderAndLeavesItAsItWas) {
  fill_source();
  {
    auto target = open(to_url());
    ASSERT_TRUE(target);
    ASSERT_TRUE(target->accept_order(order("already-there")));
    target->close();
  }
  auto report = copy_store(from_url(), to_url(), {});
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, Error::Code::invalid);
  EXPECT_NE(report.error().message.find("not empty"), std::string::npos) << report.error().message;
  EXPECT_NE(report.error().message.find("orders"), std::string::npos) << report.error().message;

  auto target = open(to_url());
  ASSERT_TRUE(target);
  auto orders = target->list_orders(OrderFilter{});
  ASSERT_TRUE(orders);
  ASSERT_EQ(orders->size(), 1u);
  EXPECT_EQ(orders->front().id, "already-there");
}

TEST_P(StoreCopyTest, RefusesASourceAtAnOlderSchemaVersion) {
  fill_source();
  const std::string drop =
      "DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM "
      "schema_migrations)";
  if (GetParam().from == Backend::postgresql) {
    from_pg_->admin().exec(drop);
  } else {
    SqliteDb db((dir_.path() / "from.db").string(), 1000);
    db.exec(drop);
  }
  auto report = copy_store(from_url(), to_url(), {});
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("ttbridge store migrate"), std::string::npos)
      << report.error().message;
}

INSTANTIATE_TEST_SUITE_P(EveryPair, StoreCopyTest,
                         ::testing::Values(Ends{Backend::sqlite, Backend::sqlite},
                                           Ends{Backend::sqlite, Backend::postgresql},
                                           Ends{Backend::postgresql, Backend::sqlite},
                                           Ends{Backend::postgresql, Backend::postgresql}),
                         [](const ::testing::TestParamInfo<Ends>& info) {
                           return to_string(info.param.from) + "To" + to_string(info.param.to);
                         });

// The copy's table list is every table the migrations create, so a new table cannot be left
// behind by a copy: it is refused until it is added to copied_tables().
TEST(StoreCopyTables, AreEveryTableOfTheSchema) {
  TempDir dir;
  const std::string url = "sqlite://" + (dir.path() / "s.db").string();
  ASSERT_TRUE(migrate_store(url));
  auto source = open_sqlite_source((dir.path() / "s.db").string());
  auto tables = source->tables();
  auto copied = copied_tables();
  std::sort(tables.begin(), tables.end());
  std::sort(copied.begin(), copied.end());
  EXPECT_EQ(tables, copied);
}

TEST(StoreCopyRefusals, NameWhatIsWrong) {
  TempDir dir;
  const std::string missing = "sqlite://" + (dir.path() / "missing.db").string();
  const std::string target = "sqlite://" + (dir.path() / "t.db").string();
  auto report = copy_store(missing, target, {});
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("does not exist"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "missing.db"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "t.db"));

  ASSERT_TRUE(migrate_store(target));
  report = copy_store(target, target, {});
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("same store"), std::string::npos);

  report = copy_store("mysql://x", target, {});
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("sqlite://"), std::string::npos);
}

TEST(StoreCopyRefusals, ATargetWithAForeignTable) {
  TempDir dir;
  const std::string source = "sqlite://" + (dir.path() / "s.db").string();
  ASSERT_TRUE(migrate_store(source));
  {
    SqliteDb db((dir.path() / "t.db").string(), 1000);
    db.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
  }
  auto report = copy_store(source, "sqlite://" + (dir.path() / "t.db").string(), {});
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("invoices"), std::string::npos) << report.error().message;
}

}  // namespace
}  // namespace ttb::store::testing
