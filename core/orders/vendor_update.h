#pragma once
// An order update as a plugin reports it (create_order, fetch_order, cancel_order, run_action
// results and each element of a callback's "updates"), parsed and checked. Plugin output is
// outside input: a malformed update is refused with a message, never trusted.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "orders/order_status.h"

namespace ttb::orders {

struct Attachment {
  std::string url;
  std::string description;
  bool operator==(const Attachment&) const = default;
};

// One assessment criterion (ABI 1.1): an id from the vendor's test and its score, 0..100.
struct Criterion {
  std::string id;
  std::optional<int> score;
  bool operator==(const Criterion&) const = default;
};

struct VendorUpdate {
  std::string order_id;         // our id (partner-result id), may be empty
  std::string vendor_order_id;  // the vendor's id, may be empty
  std::optional<VendorStatus> status;
  FailureReason failure_reason = FailureReason::none;
  std::optional<int> score;  // 0..100 (fractions rounded)
  std::string summary;
  std::string candidate_url;  // the candidate's own link: never shown to the recruiter
  std::string report_url;
  std::optional<std::vector<Attachment>> attachments;  // nullopt: not reported
  std::string details_json;                            // a JSON object, "" when not reported
  std::string vendor_state_json;                       // a JSON object, "" when not reported
  // ABI 1.1 fields; each is dropped on its own when malformed (see ParsedUpdate::dropped).
  std::optional<std::string> grade;        // top_fit | might_be_fit | might_not_be_fit | unknown
  std::optional<std::int64_t> duration_s;  // time the candidate took, seconds
  std::optional<std::vector<Criterion>> criteria;  // nullopt: not reported
  std::optional<std::int64_t> revision;  // the vendor's event time or version; larger is newer
};

struct ParsedUpdate {
  std::optional<VendorUpdate> update;
  std::string error;  // set when update is empty: what is wrong, for the job's last error
  // Optional ABI 1.1 fields that were malformed and left out, one message each; the rest of the
  // update still applies.
  std::vector<std::string> dropped;
};

ParsedUpdate parse_vendor_update(const std::string& json);
// The same for an update already parsed, e.g. one element of a callback's "updates" (parsed with
// the whole answer, whose depth limit it has passed).
ParsedUpdate read_vendor_update(const nlohmann::json& update);

}  // namespace ttb::orders
