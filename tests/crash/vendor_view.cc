#include "vendor_view.h"

#include <cstdio>

namespace ttb::crash {
namespace {

// The fake's deterministic candidate ids: cand_000001, cand_000002, ...
std::string candidate_id(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "cand_%06d", n);
  return buf;
}

}  // namespace

std::map<std::string, VendorRecords> VendorView::refresh() {
  std::lock_guard lock(mutex_);
  const int candidates = checkr_.candidates_created();
  for (int n = seen_candidates_ + 1; n <= candidates; ++n) {
    const std::string id = candidate_id(n);
    auto candidate = checkr_.candidate(id);
    std::string order;
    if (candidate && candidate->contains("custom_id") && (*candidate)["custom_id"].is_string()) {
      order = (*candidate)["custom_id"].get<std::string>();
    }
    order_of_candidate_[id] = order;
    by_order_[order].candidates.push_back(id);
  }
  seen_candidates_ = candidates;
  for (const auto& id : checkr_.invitation_ids()) {
    if (seen_invitations_.count(id)) continue;
    auto invitation = checkr_.invitation(id);
    if (!invitation) continue;
    const std::string candidate = invitation->value("candidate_id", "");
    auto order = order_of_candidate_.find(candidate);
    if (order == order_of_candidate_.end()) continue;  // its candidate is newer: next refresh
    seen_invitations_.insert(id);
    if (order->second.empty()) {
      orphans_.push_back(id);
      continue;
    }
    by_order_[order->second].invitations.push_back(id);
  }
  return by_order_;
}

std::vector<std::string> VendorView::orphans() const {
  return orphans_;
}

}  // namespace ttb::crash
