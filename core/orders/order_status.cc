#include "orders/order_status.h"

namespace ttb::orders {
namespace {

int rank(OrderStatus status) {
  switch (status) {
    case OrderStatus::received:
      return 0;
    case OrderStatus::invited:
      return 1;
    case OrderStatus::in_progress:
      return 2;
    case OrderStatus::completed:
    case OrderStatus::failed:
      return 3;
  }
  return 0;
}

}  // namespace

const char* to_string(OrderStatus status) {
  switch (status) {
    case OrderStatus::received:
      return "received";
    case OrderStatus::invited:
      return "invited";
    case OrderStatus::in_progress:
      return "in_progress";
    case OrderStatus::completed:
      return "completed";
    case OrderStatus::failed:
      return "failed";
  }
  return "received";
}

const char* to_string(FailureReason reason) {
  switch (reason) {
    case FailureReason::none:
      return "";
    case FailureReason::expired:
      return "expired";
    case FailureReason::cancelled:
      return "cancelled";
    case FailureReason::rejected:
      return "rejected";
    case FailureReason::vendor_error:
      return "vendor_error";
  }
  return "";
}

const char* to_string(VendorStatus status) {
  switch (status) {
    case VendorStatus::sent:
      return "sent";
    case VendorStatus::pending:
      return "pending";
    case VendorStatus::completed:
      return "completed";
    case VendorStatus::failed:
      return "failed";
  }
  return "sent";
}

std::optional<OrderStatus> parse_order_status(std::string_view text) {
  for (auto s : {OrderStatus::received, OrderStatus::invited, OrderStatus::in_progress,
                 OrderStatus::completed, OrderStatus::failed}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

std::optional<FailureReason> parse_failure_reason(std::string_view text) {
  for (auto r : {FailureReason::none, FailureReason::expired, FailureReason::cancelled,
                 FailureReason::rejected, FailureReason::vendor_error}) {
    if (text == to_string(r)) return r;
  }
  return std::nullopt;
}

std::optional<VendorStatus> parse_vendor_status(std::string_view text) {
  for (auto s :
       {VendorStatus::sent, VendorStatus::pending, VendorStatus::completed, VendorStatus::failed}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

OrderStatus from_vendor(VendorStatus status) {
  switch (status) {
    case VendorStatus::sent:
      return OrderStatus::invited;
    case VendorStatus::pending:
      return OrderStatus::in_progress;
    case VendorStatus::completed:
      return OrderStatus::completed;
    case VendorStatus::failed:
      return OrderStatus::failed;
  }
  return OrderStatus::invited;
}

const char* vendor_word(OrderStatus status) {
  switch (status) {
    case OrderStatus::received:
      return "received";
    case OrderStatus::invited:
      return "sent";
    case OrderStatus::in_progress:
      return "pending";
    case OrderStatus::completed:
      return "completed";
    case OrderStatus::failed:
      return "failed";
  }
  return "received";
}

const char* teamtailor_status(OrderStatus status) {
  return status == OrderStatus::received ? "sending" : vendor_word(status);
}

bool is_terminal(OrderStatus status) {
  return status == OrderStatus::completed || status == OrderStatus::failed;
}

Verdict judge(OrderStatus current, std::optional<OrderStatus> next) {
  if (is_terminal(current)) return Verdict::final_;
  if (!next || *next == current) return Verdict::refresh;
  return rank(*next) > rank(current) ? Verdict::advance : Verdict::late;
}

}  // namespace ttb::orders
