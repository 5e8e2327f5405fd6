#pragma once
// Checkr's side of the story, read from the fake: which invitations and candidates exist for each
// order (a Checkr candidate's custom_id is the order id). Incremental, because the load loop asks
// often and the fake only grows.

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "fakes/checkr/fake_checkr.h"

namespace ttb::crash {

struct VendorRecords {
  std::vector<std::string> invitations;  // invitation ids, in creation order
  std::vector<std::string> candidates;   // candidate ids
};

class VendorView {
 public:
  explicit VendorView(fakes::checkr::FakeCheckr& checkr) : checkr_(checkr) {}

  // Reads what is new in the fake; returns order id → records so far.
  std::map<std::string, VendorRecords> refresh();
  // Invitations whose candidate has no custom_id we could read (should stay empty).
  std::vector<std::string> orphans() const;

 private:
  fakes::checkr::FakeCheckr& checkr_;
  std::mutex mutex_;
  std::set<std::string> seen_invitations_;
  int seen_candidates_ = 0;
  std::map<std::string, std::string> order_of_candidate_;
  std::map<std::string, VendorRecords> by_order_;
  std::vector<std::string> orphans_;
};

}  // namespace ttb::crash
