#include "verdict.h"

#include <cstdio>
#include <map>
#include <vector>

#include <gtest/gtest.h>

namespace ttb::crash {
namespace {

constexpr int kMaxReports = 20;  // failures printed per invariant; the count says the rest

// Collects violations of one invariant and reports them once, with a bounded sample.
class Violations {
 public:
  explicit Violations(std::string invariant) : invariant_(std::move(invariant)) {}
  ~Violations() {
    if (count_ > 0) ADD_FAILURE() << invariant_ << ": " << count_ << " violation(s)\n" << sample_;
  }
  void add(const std::string& what) {
    if (++count_ <= kMaxReports) sample_ += "  " + what + "\n";
  }
  int count() const { return count_; }

 private:
  std::string invariant_;
  std::string sample_;
  int count_ = 0;
};

}  // namespace

void check_invariants(const FinishedRun& run) {
  const Ledger& ledger = run.ledger;
  const StoreSnapshot& snapshot = run.snapshot;
  auto& checkr = run.checkr;
  const auto webhooks = ledger.webhooks();
  const auto callbacks = ledger.callbacks();
  const auto at_vendor = run.vendor.refresh();
  const auto writes = run.teamtailor.writes();
  std::map<std::string, std::vector<fakes::PartnerResultWrite>> writes_by_order;
  for (const auto& w : writes) writes_by_order[w.id].push_back(w);

  int acked = 0, unanswered = 0, refused = 0, unanswered_stored = 0;
  {
    Violations lost("an acknowledged webhook's order is not in the store");
    Violations refused_stored("a refused (non-2xx) webhook's order is in the store");
    for (const auto& [id, w] : webhooks) {
      const bool stored = snapshot.orders.count(id) > 0;
      switch (w.answer) {
        case Answer::acked:
          ++acked;
          if (!stored) lost.add(id + " (sent " + std::to_string(w.sends) + "x)");
          break;
        case Answer::refused:
          ++refused;
          if (stored) refused_stored.add(id + " (status " + std::to_string(w.last_status) + ")");
          break;
        case Answer::none:
          ++unanswered;
          if (stored) ++unanswered_stored;
          break;
      }
    }
  }
  {
    Violations unknown("an order in the store that the test never sent");
    for (const auto& [id, o] : snapshot.orders) {
      if (!webhooks.count(id)) unknown.add(id);
    }
  }
  {
    Violations invites("a stored order does not have exactly one Checkr invitation");
    Violations candidates("a stored order does not have exactly one Checkr candidate");
    Violations stray("an order that is not stored reached Checkr");
    Violations incomplete("a stored order has no invite job");
    Violations dead("a job died");
    for (const auto& [id, o] : snapshot.orders) {
      auto it = at_vendor.find(id);
      const std::size_t n_inv = it == at_vendor.end() ? 0 : it->second.invitations.size();
      const std::size_t n_cand = it == at_vendor.end() ? 0 : it->second.candidates.size();
      if (n_inv != 1)
        invites.add(id + ": " + std::to_string(n_inv) + " invitations, status " + o.status);
      if (n_cand != 1) candidates.add(id + ": " + std::to_string(n_cand) + " candidates");
      bool has_invite = false;
      for (const auto& j : snapshot.jobs_of(id)) {
        if (j.kind == "invite") has_invite = true;
        if (j.state == "dead")
          dead.add(id + ": " + j.kind + " job " + std::to_string(j.id) + ": " + j.last_error);
      }
      if (!has_invite) incomplete.add(id);
    }
    for (const auto& [order, records] : at_vendor) {
      if (!snapshot.orders.count(order)) {
        stray.add((order.empty() ? std::string("(no custom_id)") : order) + ": " +
                  std::to_string(records.invitations.size()) + " invitations");
      }
    }
    EXPECT_TRUE(run.vendor.orphans().empty());
    EXPECT_EQ(checkr.invitations_created(), static_cast<int>(snapshot.orders.size()))
        << "Checkr created more invitations than there are orders";
  }

  int callbacks_acked = 0, crash_retried_writes = 0;
  {
    Violations missing("an acknowledged callback's completed result never reached Teamtailor");
    Violations duplicated("a partner-result write repeats the previous one within one incarnation");
    Violations rewritten("a terminal result was rewritten with different attributes");
    Violations no_card("a stored order's result never reached Teamtailor");
    Violations diverged("Teamtailor's last write differs from the order's state in the store");
    for (const auto& [id, c] : callbacks) {
      if (c.answer != Answer::acked) continue;
      ++callbacks_acked;
      auto it = writes_by_order.find(id);
      bool completed = false;
      if (it != writes_by_order.end()) {
        for (const auto& w : it->second)
          completed |= w.attributes.value("status", "") == "completed";
      }
      if (!completed) missing.add(id);
      auto stored = snapshot.orders.find(id);
      if (stored == snapshot.orders.end() || stored->second.status != "completed") {
        missing.add(
            id + ": store status " +
            (stored == snapshot.orders.end() ? std::string("(missing)") : stored->second.status));
      }
    }
    for (const auto& [id, o] : snapshot.orders) {
      auto it = writes_by_order.find(id);
      if (it == writes_by_order.end()) {
        no_card.add(id + " (status " + o.status + ")");
        continue;
      }
      const auto& list = it->second;
      const nlohmann::json* terminal = nullptr;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& w = list[i];
        if (terminal && w.attributes != *terminal) {
          rewritten.add(id + ": after " + terminal->value("status", "") + " came " +
                        w.attributes.dump());
        }
        if (i > 0 && w.attributes == list[i - 1].attributes) {
          if (ledger.incarnation_at(list[i - 1].at) < ledger.incarnation_at(w.at)) {
            ++crash_retried_writes;  // written, then killed before recording it: sent again
          } else {
            // The order's jobs say which of them wrote twice, and what failed in between.
            std::string jobs;
            for (const auto& j : snapshot.jobs_of(id)) {
              jobs += " " + j.kind + "#" + std::to_string(j.id) + " " + j.state;
              if (!j.last_error.empty()) jobs += " (" + j.last_error + ")";
            }
            duplicated.add(id + ": write " + std::to_string(i) + " " +
                           w.attributes.value("status", "") + "; jobs:" + jobs);
          }
        }
        const std::string status = w.attributes.value("status", "");
        if (!terminal && (status == "completed" || status == "failed")) terminal = &w.attributes;
      }
      const std::string last = list.back().attributes.value("status", "");
      const bool matches = o.status == "completed" ? last == "completed"
                           : o.status == "failed"  ? last == "failed"
                                                   : last == "sent" || last == "pending";
      if (!matches) {
        std::string line = id;
        line.append(": store ").append(o.status).append(", Teamtailor ").append(last);
        diverged.add(line);
      }
    }
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - run.began).count();
  std::printf(
      "[crash] %srounds=%d kills=%d webhooks=%zu acked=%d refused=%d unanswered=%d "
      "(stored anyway=%d) orders=%zu invitations=%d callbacks=%zu acked=%d teamtailor_writes=%zu "
      "crash_retried_writes=%d%s duration=%.1fs\n",
      run.label.c_str(), run.rounds, ledger.kills(), webhooks.size(), acked, refused, unanswered,
      unanswered_stored, snapshot.orders.size(), checkr.invitations_created(), callbacks.size(),
      callbacks_acked, writes.size(), crash_retried_writes, run.extra_totals.c_str(), seconds);
  // The load must have been real, or the invariants above prove nothing.
  EXPECT_GT(acked, 0);
  EXPECT_GT(callbacks_acked, 0);
}

}  // namespace ttb::crash
