#include "orders/failure_summary.h"

namespace ttb::orders {

InviteFailure invite_failure(std::string_view call_status) {
  // The operator learns of every one of these from the dead letter (ttbridge_jobs_dead), so
  // "your administrator has been told" is true; the recruiter's own remedy comes first.
  if (call_status == "auth") {
    return {FailureReason::vendor_error,
            "The vendor refused our credentials; your administrator has been told."};
  }
  if (call_status == "invalid") {
    return {FailureReason::rejected,
            "The vendor refused this invitation; check the candidate's email and the chosen test, "
            "then send the test again."};
  }
  if (call_status == "not_found") {
    return {FailureReason::rejected,
            "The vendor does not know the chosen test; choose another test and send it again."};
  }
  if (call_status == "unsupported") {
    return {FailureReason::vendor_error,
            "This test provider cannot send invitations from Teamtailor; your administrator has "
            "been told."};
  }
  if (call_status == "vendor_unavailable") {
    return {FailureReason::vendor_error,
            "The vendor could not be reached, even after several tries; your administrator has "
            "been told and can send the invitation again."};
  }
  if (call_status == "rate_limited") {
    return {FailureReason::vendor_error,
            "The vendor kept asking us to slow down, even after several tries; your administrator "
            "has been told and can send the invitation again."};
  }
  if (call_status == "timeout") {
    return {FailureReason::vendor_error,
            "The vendor did not answer in time, even after several tries; your administrator has "
            "been told and can send the invitation again."};
  }
  if (call_status == "crashed") {
    return {FailureReason::vendor_error,
            "The test provider's plugin crashed each time it tried to send this invitation, so it "
            "was stopped; your administrator has been told."};
  }
  return {FailureReason::vendor_error,
          "The invitation could not be sent because of an error on our side; your administrator "
          "has been told."};
}

}  // namespace ttb::orders
