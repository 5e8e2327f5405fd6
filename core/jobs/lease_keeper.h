#pragma once
// Keeps the leases of the jobs this daemon runs. On PostgreSQL several daemons share the jobs,
// and a running job whose claim is older than the lease (jobs.lease_s) is taken for the job of
// a daemon that died: another daemon claims it again. A job may run longer than the lease (a
// slow vendor), so while it runs its claim is renewed (Store::renew_leases) every `every`: a
// third of the lease, so that a renewal may fail or come late twice before another daemon may
// take the job over. A renewal that fails is reported and made again at the next tick; should
// the lease run out meanwhile, the job's own end is refused as fenced and the new holder's run
// counts (docs/scaling.md).
//
// The runner holds a job's claim from the moment the job starts running until its end is
// recorded; the keeper renews what is held on a thread of its own ("ttb-lease").

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "store/store.h"

namespace ttb::jobs {

class LeaseKeeper {
 public:
  // `every` 0: no thread; claims are held and renewed only by renew() (a SQLite store, where no
  // claim reads a lease). `on_error` hears a renewal the store could not write (on the keeper's
  // thread); may be empty.
  LeaseKeeper(store::Store& store, std::chrono::milliseconds every,
              std::function<void(const store::Error&)> on_error);
  ~LeaseKeeper();  // stop()
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  void start();  // the renewing thread, when `every` is not 0; idempotent
  void stop();   // joins it; idempotent

  // A job starts running under `claim` / its end is recorded (or refused).
  void hold(const store::JobClaim& claim);
  void drop(const store::JobClaim& claim);
  int held() const;

  // Renews every held claim now, in one store write: how many the store renewed (0 with none
  // held, without a write), or its error. The thread calls it every `every`.
  store::Result<int> renew();

 private:
  void loop();

  store::Store& store_;
  const std::chrono::milliseconds every_;
  const std::function<void(const store::Error&)> on_error_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::map<std::int64_t, int> held_;  // job id -> the number of the claim that holds it
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ttb::jobs
