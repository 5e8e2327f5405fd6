#include "jobs/lease_keeper.h"

#include <utility>
#include <vector>

#include "ops/thread_name.h"

namespace ttb::jobs {

LeaseKeeper::LeaseKeeper(store::Store& store, std::chrono::milliseconds every,
                         std::function<void(const store::Error&)> on_error)
    : store_(store), every_(every), on_error_(std::move(on_error)) {}

LeaseKeeper::~LeaseKeeper() {
  stop();
}

void LeaseKeeper::start() {
  std::lock_guard lock(mutex_);
  if (every_.count() <= 0 || thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    ops::name_this_thread("ttb-lease");
    loop();
  });
}

void LeaseKeeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LeaseKeeper::hold(const store::JobClaim& claim) {
  std::lock_guard lock(mutex_);
  held_[claim.id] = claim.number;
}

void LeaseKeeper::drop(const store::JobClaim& claim) {
  std::lock_guard lock(mutex_);
  // Only the claim that holds the job: a later claim of the same job keeps its lease.
  if (auto it = held_.find(claim.id); it != held_.end() && it->second == claim.number) {
    held_.erase(it);
  }
}

int LeaseKeeper::held() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(held_.size());
}

store::Result<int> LeaseKeeper::renew() {
  std::vector<store::JobClaim> claims;
  {
    std::lock_guard lock(mutex_);
    claims.reserve(held_.size());
    for (const auto& [id, number] : held_) claims.emplace_back(id, number);
  }
  if (claims.empty()) return 0;
  // A claim dropped meanwhile renews a job that has moved on: the store skips it.
  return store_.renew_leases(claims);
}

void LeaseKeeper::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (cv_.wait_for(lock, every_, [this] { return stopping_; })) return;
    lock.unlock();
    auto renewed = renew();
    if (!renewed && on_error_) on_error_(renewed.error());
    lock.lock();
  }
}

}  // namespace ttb::jobs
