#pragma once
// list_tests: HackerRank's paged GET /tests answers become our test list. Only published
// (draft=false), non-archived tests are offered, because only those accept invitations.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace hackerrank {

inline constexpr int kPageSize = 100;  // HackerRank's maximum `limit`
inline constexpr int kMaxPages = 200;  // 20,000 tests; a guard against a link that loops

// The first page: {base_url}/tests?limit=100&offset=0.
std::string first_tests_page_url(const std::string& base_url);

// Appends the invitable tests of one page to `tests` as
// {"id","name","kind":"assessment","description","duration_minutes"}. Throws
// ttb::sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE) when the page has no `data` array.
void append_invitable_tests(const nlohmann::json& page, nlohmann::json& tests);

// The next page to fetch, from the page's `next` link; nullopt on the last page (no link, or a
// page without items). Throws ttb::sdk::Error(TTB_STATUS_INVALID) when the link leaves
// base_url's origin or is the page just fetched.
std::optional<std::string> next_tests_page_url(const nlohmann::json& page,
                                               const std::string& base_url,
                                               const std::string& current_url);

}  // namespace hackerrank
