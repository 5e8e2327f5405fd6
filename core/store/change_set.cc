#include "store/change_set.h"

namespace ttb::store {

void apply_change(OrderRecord& order, const OrderChange& change) {
  if (change.status) order.status = *change.status;
  if (change.failure_reason) order.failure_reason = *change.failure_reason;
  if (change.vendor_order_id) order.vendor_order_id = *change.vendor_order_id;
  if (change.vendor_state_json) order.vendor_state_json = *change.vendor_state_json;
  if (change.result_json) order.result_json = *change.result_json;
  if (change.result_changed) ++order.result_version;
  if (change.pushed_version && *change.pushed_version > order.pushed_version) {
    order.pushed_version = *change.pushed_version;
  }
  if (change.applied_revision &&
      (!order.applied_revision || *change.applied_revision > *order.applied_revision)) {
    order.applied_revision = change.applied_revision;
  }
  ++order.version;
}

}  // namespace ttb::store
