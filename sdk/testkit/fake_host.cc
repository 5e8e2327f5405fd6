// The kit's fake host; see fake_host.h.

#include "testkit/fake_host.h"

#include <cstddef>

namespace ttb::testkit {
namespace {

constexpr const char kNoNetworkBody[] =
    "{\"error\":\"ttbridge plugin check: the fake host has no network\"}";

std::uint64_t id_of(ttb_call* c) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(c));
}

}  // namespace

FakeHost::FakeHost(std::function<void(const char*, const std::function<void()>&)> run_guarded)
    : run_guarded_(std::move(run_guarded)) {
  table_.struct_size = sizeof(ttb_host);
  table_.abi_major = TTB_ABI_MAJOR;
  table_.abi_minor = TTB_ABI_MINOR;
  table_.host_data = this;
  table_.log = &FakeHost::log;
  table_.http_send = &FakeHost::http_send;
  table_.complete = &FakeHost::complete;
  table_.now_ms = &FakeHost::now_ms;
  table_.get_extension = &FakeHost::get_extension;
}

void FakeHost::log(const ttb_host* h, ttb_log_level, ttb_str) {
  std::lock_guard lock(self(h)->mu_);
  ++self(h)->log_lines_;
}

ttb_status FakeHost::http_send(const ttb_host* h, const ttb_http_request* request,
                               ttb_http_callback callback, void* user_data) {
  if (request == nullptr || callback == nullptr) return TTB_STATUS_INVALID;
  FakeHost* s = self(h);
  std::lock_guard lock(s->mu_);
  ++s->http_requests_;
  s->tasks_.emplace_back([s, callback, user_data] {
    static const ttb_header headers[] = {
        {{"Content-Type", 12}, {"application/json", 16}},
        {{"Retry-After", 11}, {"1", 1}},
    };
    ttb_http_response r{};
    r.struct_size = sizeof r;
    r.status = TTB_STATUS_OK;
    r.http_status = 503;
    r.headers = headers;
    r.header_count = 2;
    r.body = ttb_str{kNoNetworkBody, sizeof kNoNetworkBody - 1};
    r.error = ttb_str{nullptr, 0};
    s->run_guarded_("an HTTP callback", [&] { callback(user_data, &r); });
  });
  s->cv_.notify_all();
  return TTB_STATUS_OK;
}

void FakeHost::complete(const ttb_host* h, ttb_call* call, const ttb_completion* completion) {
  FakeHost* s = self(h);
  Completion c;
  constexpr std::size_t kV10 = offsetof(ttb_completion, retry_after_ms) + sizeof(std::uint32_t);
  if (completion == nullptr || completion->struct_size < kV10) {
    c.valid_struct = false;
  } else {
    c.status = completion->status;
    if (completion->json.ptr) c.json.assign(completion->json.ptr, completion->json.len);
    if (completion->detail.ptr) c.detail.assign(completion->detail.ptr, completion->detail.len);
    c.retry_after_ms = completion->retry_after_ms;
  }
  std::lock_guard lock(s->mu_);
  auto it = s->completions_.find(id_of(call));
  if (it == s->completions_.end()) {
    ++s->unknown_completions_;
  } else {
    it->second.push_back(std::move(c));
  }
  s->cv_.notify_all();
}

int64_t FakeHost::now_ms(const ttb_host*) {
  return 1700000000000;
}  // fixed: checks are repeatable

const void* FakeHost::get_extension(const ttb_host*, const char*) {
  return nullptr;
}

ttb_call* FakeHost::new_call() {
  std::lock_guard lock(mu_);
  std::uint64_t id = next_call_++;
  completions_[id];
  // The token is an id that is never dereferenced, as in the real host: a late or repeated
  // completion finds nothing instead of touching freed memory. No pointer provenance to lose.
  // NOLINTNEXTLINE(performance-no-int-to-ptr)
  return reinterpret_cast<ttb_call*>(static_cast<std::uintptr_t>(id));
}

bool FakeHost::run_one_task(std::unique_lock<std::mutex>& lock) {
  if (tasks_.empty()) return false;
  auto task = std::move(tasks_.front());
  tasks_.pop_front();
  lock.unlock();
  task();
  lock.lock();
  return true;
}

bool FakeHost::wait_for(ttb_call* call, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  std::unique_lock lock(mu_);
  for (;;) {
    if (!completions_[id_of(call)].empty()) return true;
    if (run_one_task(lock)) continue;
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && tasks_.empty())
      return !completions_[id_of(call)].empty();
  }
}

void FakeHost::settle(std::chrono::milliseconds period) {
  auto deadline = std::chrono::steady_clock::now() + period;
  std::unique_lock lock(mu_);
  for (;;) {
    if (run_one_task(lock)) continue;
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && tasks_.empty()) return;
  }
}

std::vector<Completion> FakeHost::completions(ttb_call* call) {
  std::lock_guard lock(mu_);
  return completions_[id_of(call)];
}

std::size_t FakeHost::http_requests() {
  std::lock_guard lock(mu_);
  return http_requests_;
}
std::size_t FakeHost::unknown_completions() {
  std::lock_guard lock(mu_);
  return unknown_completions_;
}
std::size_t FakeHost::log_lines() {
  std::lock_guard lock(mu_);
  return log_lines_;
}

}  // namespace ttb::testkit
