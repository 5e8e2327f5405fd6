#pragma once
// Retention: once a finished (completed or failed) order has been quiet for `days`, it loses its
// candidate's personal data, its timeline, its done jobs and its webhook event keys; old
// sightings and callback event keys go too. Open orders keep everything. The engine's
// housekeeping thread runs it periodically, in small batches (one commit each) so that webhooks
// and jobs never wait long behind it.

#include <chrono>
#include <string>

#include "store/store.h"

namespace ttb::jobs {

struct RetentionOptions {
  int days = 90;          // store.retention_days; 0 keeps everything
  int batch = 500;        // rows per commit
  int max_batches = 200;  // per run: a large backlog is worked off over several runs
  store::Clock clock;     // default: system clock
};

class Retention {
 public:
  Retention(store::Store& store, RetentionOptions options);

  struct Run {
    store::Purged purged;  // summed over the run's batches
    int batches = 0;
    std::string error;  // the store's trouble, if any (the next run starts over)
  };
  // Purges batch after batch until nothing is left or max_batches ran.
  Run run();

 private:
  store::Store& store_;
  RetentionOptions options_;
};

}  // namespace ttb::jobs
