#pragma once
// The pure heart of applying a vendor update to an order: the verdict of the state machine and
// the exact store change it implies (status, vendor fields, result view, timeline). No I/O, so
// every transition is unit-tested as a table.

#include <string>

#include "orders/order_status.h"
#include "orders/vendor_update.h"
#include "store/change_set.h"
#include "store/records.h"

namespace ttb::orders {

struct UpdatePlan {
  Verdict verdict = Verdict::refresh;
  store::OrderChange change;  // expected_version = the order's version
  // True when the change writes nothing and adds no timeline line (a poll that saw no news).
  bool empty() const;
};

// `source` names who reported it ("vendor", "callback", "poll", ...) for the timeline. With
// `quiet_if_unchanged`, an update that changes nothing adds no timeline line (polls would
// otherwise fill the timeline with "no news").
UpdatePlan plan_update(const store::OrderRecord& order, const VendorUpdate& update,
                       const std::string& source, bool quiet_if_unchanged = false);

// The candidate's email from the order's candidate JSON, "" when absent.
std::string candidate_email(const store::OrderRecord& order);

}  // namespace ttb::orders
