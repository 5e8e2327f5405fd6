#pragma once
// Reconciliation: an open order that had no news (no callback, no update) for a while may have
// lost a callback; a poll job asks the vendor (fetch_order) where it stands. The vendor's answer
// goes through the same state machine, so an invitation the vendor expired becomes `failed`
// with reason `expired` and reaches Teamtailor like any other result.

#include <chrono>
#include <string>

#include "store/store.h"

namespace ttb::jobs {

struct ReconcileOptions {
  std::chrono::milliseconds no_news_for{std::chrono::hours(1)};
  int batch = 500;  // orders per sweep; the rest wait for the next sweep (oldest first)
  store::Clock clock;
};

class Reconciler {
 public:
  Reconciler(store::Store& store, ReconcileOptions options);

  struct Sweep {
    int polls_enqueued = 0;
    std::string error;  // the store's trouble, if any
  };
  // Enqueues one poll job for each quiet order. A poll job of a provider that cannot fetch
  // finishes at once; one of a provider not configured right now waits for it.
  Sweep sweep();

 private:
  store::Store& store_;
  ReconcileOptions options_;
};

}  // namespace ttb::jobs
