// Teamtailor's answers to the operator's Partner API calls (core/teamtailor/partner_api.h): the
// pages of GET partner-activations read into activations, and the answers of the key check
// (GET partner-results) and of the partner update, read through a fake HTTP client.
// Input: the pages, separated by a line "--"; each page is its HTTP status on one line, then
// the body. Page N answers the request for page[number]=N; the last page answers any later one
// and also the key check and the partner update.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "net/http_client.h"
#include "teamtailor/partner_api.h"

namespace tt = ttb::teamtailor;
namespace net = ttb::net;
using nlohmann::json;

namespace {

constexpr std::string_view kApiUrl = "https://api.teamtailor.test/partner/v1";
constexpr std::string_view kApiKey = "tt-api-key-0123456789";
constexpr int kMaxPages = 1000;              // partner_api.cc
constexpr std::size_t kMaxError = 64 + 515;  // "Teamtailor answered HTTP nnn: " + the error text

std::vector<net::ClientResponse> pages_of(std::string_view input) {
  std::vector<net::ClientResponse> pages;
  while (true) {
    const std::size_t end = input.find("\n--\n");
    const auto parts = ttb::fuzz::fields(input.substr(0, end), 2);
    net::ClientResponse page;
    std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), page.status);
    if (page.status < 0 || page.status > 999) page.status = 500;
    if (page.status == 0) page.error = "connection refused";
    page.body = std::string(parts[1]);
    pages.push_back(std::move(page));
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + 4);
  }
  return pages;
}

// Answers every request from the pages, and remembers what was asked.
class PagesClient final : public net::HttpClient {
 public:
  explicit PagesClient(std::vector<net::ClientResponse> pages) : pages_(std::move(pages)) {}

  net::ClientResponse send(const net::ClientRequest& request) override {
    // Only the configured API gets the key.
    TTB_FUZZ_CHECK(request.url.starts_with(std::string(kApiUrl) + "/"));
    std::size_t page = 1;
    if (const std::size_t at = request.url.find("page%5Bnumber%5D="); at != std::string::npos) {
      const char* digits = request.url.data() + at + 17;
      std::from_chars(digits, request.url.data() + request.url.size(), page);
      TTB_FUZZ_CHECK(page == requested_.size() + 1);  // pages are asked for in order
      requested_.push_back(page);
    }
    return pages_[std::min(page, pages_.size()) - 1];
  }

  const std::vector<net::ClientResponse>& pages() const { return pages_; }
  const std::vector<std::size_t>& requested() const { return requested_; }

 private:
  std::vector<net::ClientResponse> pages_;
  std::vector<std::size_t> requested_;
};

void check_answer(const tt::ApiAnswer& answer) {
  if (answer.ok()) {
    TTB_FUZZ_CHECK(answer.error.empty());
    return;
  }
  TTB_FUZZ_CHECK(!answer.error.empty());
  TTB_FUZZ_CHECK(answer.error.size() <= kMaxError);
  // The key never leaks into an error, whatever Teamtailor echoes back.
  TTB_FUZZ_CHECK(answer.error.find(kApiKey) == std::string::npos);
}

// How many activations a page holds, counted here: the objects of its `data` array.
std::size_t objects_in(const net::ClientResponse& page) {
  const json body = json::parse(page.body, nullptr, false);
  if (!body.is_object() || !body.contains("data") || !body["data"].is_array()) return 0;
  std::size_t n = 0;
  for (const json& item : body["data"]) n += item.is_object() ? 1 : 0;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto client = std::make_shared<PagesClient>(pages_of(ttb::fuzz::as_text(data, size)));
  const tt::PartnerApi api(client, std::string(kApiUrl) + "/", std::string(kApiKey));

  const tt::ActivationList list = api.activations();
  check_answer(list.answer);
  const std::vector<std::size_t>& asked = client->requested();
  TTB_FUZZ_CHECK(!asked.empty() && asked.size() <= static_cast<std::size_t>(kMaxPages));
  if (list.answer.ok()) {
    std::size_t expected = 0;
    for (std::size_t page : asked) {
      expected += objects_in(client->pages()[std::min(page, client->pages().size()) - 1]);
    }
    TTB_FUZZ_CHECK(list.activations.size() == expected);
  }

  check_answer(api.check_key());
  const tt::ApiAnswer updated = api.update_partner("partner/1?x", "https://ttbridge.example");
  check_answer(updated);
  TTB_FUZZ_CHECK(updated.key_refused() ==
                 (updated.http_status == 401 || updated.http_status == 403));
  return 0;
}
