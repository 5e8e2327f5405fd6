#pragma once
// A real SQLite store in a fresh temp directory, with a settable clock; removed after the test.
// Shared by the store, orders and jobs tests.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

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

class StoreFixture : public ::testing::Test {
 protected:
  std::string url() const { return "sqlite://" + (dir_.path() / "ttb.db").string(); }

  std::unique_ptr<Store> open(StoreOptions options = {}) {
    if (!options.clock) options.clock = clock_.fn();
    auto opened = open_store(url(), std::move(options));
    EXPECT_TRUE(opened) << opened.error().message;
    return opened ? std::move(*opened) : nullptr;
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

  TempDir dir_;
  ManualClock clock_;
};

}  // namespace ttb::store::testing
