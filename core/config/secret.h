#pragma once
// A resolved secret (API key, webhook secret, activation token). It cannot be printed by
// accident: streams and fmt/spdlog show "<redacted>"; only reveal() gives the value.

#include <fmt/format.h>

#include <iosfwd>
#include <string>
#include <string_view>

namespace ttb::config {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

  // Constant-time: secrets are compared against values an attacker sends.
  bool equals(std::string_view other) const;
  friend bool operator==(const Secret& a, const Secret& b) { return a.equals(b.value_); }

 private:
  std::string value_;
};

std::ostream& operator<<(std::ostream& out, const Secret& secret);

}  // namespace ttb::config

template <>
struct fmt::formatter<ttb::config::Secret> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const ttb::config::Secret&, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(std::string_view("<redacted>"), ctx);
  }
};
