#pragma once
// The kit's fake host: a ttb_host whose HTTP answers every request with 503 (no network), whose
// "strand" is the checking thread, and which records every completion of every call, so the
// checks can see calls that never complete or complete twice.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ttbridge/plugin.h"

namespace ttb::testkit {

struct Completion {
  bool valid_struct = true;
  ttb_status status = TTB_STATUS_INTERNAL;
  std::string json;
  std::string detail;
  std::uint32_t retry_after_ms = 0;
};

class FakeHost {
 public:
  // `run_guarded(label, fn)` runs plugin code (HTTP callbacks) under the kit's watchdog.
  explicit FakeHost(
      std::function<void(const char* label, const std::function<void()>& fn)> run_guarded);
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  const ttb_host* host() const { return &table_; }

  ttb_call* new_call();
  // Runs queued HTTP replies on this thread until `call` has a completion or `limit` passed.
  bool wait_for(ttb_call* call, std::chrono::milliseconds limit);
  // Runs queued HTTP replies for `period`, catching extra completions.
  void settle(std::chrono::milliseconds period);
  std::vector<Completion> completions(ttb_call* call);

  std::size_t http_requests();
  std::size_t unknown_completions();
  std::size_t log_lines();

 private:
  static FakeHost* self(const ttb_host* h) { return static_cast<FakeHost*>(h->host_data); }
  static void log(const ttb_host* h, ttb_log_level level, ttb_str message);
  static ttb_status http_send(const ttb_host* h, const ttb_http_request* request,
                              ttb_http_callback callback, void* user_data);
  static void complete(const ttb_host* h, ttb_call* call, const ttb_completion* completion);
  static int64_t now_ms(const ttb_host* h);
  static const void* get_extension(const ttb_host* h, const char* id);
  bool run_one_task(std::unique_lock<std::mutex>& lock);

  ttb_host table_{};
  std::function<void(const char*, const std::function<void()>&)> run_guarded_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::map<std::uint64_t, std::vector<Completion>> completions_;
  std::uint64_t next_call_ = 1;
  std::size_t http_requests_ = 0;
  std::size_t unknown_completions_ = 0;
  std::size_t log_lines_ = 0;
};

}  // namespace ttb::testkit
