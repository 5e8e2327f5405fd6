#include "test_listing.h"

#include "order_request.h"
#include "ttbridge/plugin.hpp"
#include "urls.h"

namespace hackerrank {

using nlohmann::json;

std::string first_tests_page_url(const std::string& base_url) {
  return base_url + "/tests?limit=" + std::to_string(kPageSize) + "&offset=0";
}

namespace {

std::string text(const json& item, const char* key) {
  auto it = item.find(key);
  return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Test instructions can be pages of HTML; the pop-up wants a line. Cut at a UTF-8 boundary.
std::string short_description(std::string s) {
  constexpr std::size_t kMax = 280;
  if (s.size() <= kMax) return s;
  std::size_t n = kMax;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s + "...";
}

// `duration` is minutes; tolerate a numeric string or a float.
json duration_minutes(const json& item) {
  auto it = item.find("duration");
  if (it == item.end()) return nullptr;
  if (it->is_number_integer() || it->is_number_unsigned()) return it->get<long long>();
  if (it->is_number_float()) return static_cast<long long>(it->get<double>());
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    if (!s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string::npos)
      return std::stoll(s);
  }
  return nullptr;
}

}  // namespace

void append_invitable_tests(const json& page, json& tests) {
  auto data = page.is_object() ? page.find("data") : page.end();
  if (!page.is_object() || data == page.end() || !data->is_array())
    throw ttb::sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                          "HackerRank's test list has no `data` array");
  for (const json& item : *data) {
    if (!item.is_object()) continue;
    // Drafts cannot be invited to; a missing flag means published (older accounts omit it).
    if (auto d = item.find("draft"); d != item.end() && d->is_boolean() && d->get<bool>()) continue;
    if (text(item, "state") == "archived") continue;
    std::string id = item.contains("id") ? id_text(item["id"]) : "";
    if (id.empty()) continue;
    std::string name = text(item, "name");
    json test = {
        {"id", id},
        {"name", name.empty() ? "HackerRank test " + id : name},
        {"kind", "assessment"},
        {"description", short_description(text(item, "instructions"))},
        {"duration_minutes", duration_minutes(item)},
    };
    tests.push_back(std::move(test));
  }
}

std::optional<std::string> next_tests_page_url(const json& page, const std::string& base_url,
                                               const std::string& current_url) {
  auto next = page.find("next");
  if (next == page.end() || !next->is_string() || next->get_ref<const std::string&>().empty())
    return std::nullopt;
  auto data = page.find("data");
  if (data == page.end() || !data->is_array() || data->empty()) return std::nullopt;
  auto url = resolve_link(next->get<std::string>(), base_url);
  if (!url)
    throw ttb::sdk::Error(
        TTB_STATUS_INVALID,
        "HackerRank's next-page link is not on the configured base_url's host; not following it");
  if (*url == current_url)
    throw ttb::sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                          "HackerRank's next-page link points at the same page");
  return url;
}

}  // namespace hackerrank
