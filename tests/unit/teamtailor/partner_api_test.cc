// The operator's Partner API calls against scripted pages: how many pages of activations are
// read, with and without Teamtailor's page count.

#include "teamtailor/partner_api.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ttb::teamtailor {
namespace {

using nlohmann::json;

// Serves page N of `sizes` (N from the request's page[number]) with sizes[N-1] activations, and
// `page_count` in meta when it is set.
class Pages final : public net::HttpClient {
 public:
  Pages(std::vector<int> sizes, std::optional<int> page_count)
      : sizes_(std::move(sizes)), page_count_(page_count) {}

  net::ClientResponse send(const net::ClientRequest& request) override {
    const auto at = request.url.find("page%5Bnumber%5D=");
    const std::size_t page = at == std::string::npos ? 1 : std::stoul(request.url.substr(at + 17));
    asked.push_back(static_cast<int>(page));
    json data = json::array();
    const int size = page <= sizes_.size() ? sizes_[page - 1] : 0;
    for (int i = 0; i < size; ++i) {
      data.push_back({{"type", "partner-activations"},
                      {"id", std::to_string(page) + "-" + std::to_string(i)},
                      {"attributes", {{"company-uuid", "c"}, {"company-name", "n"}}}});
    }
    json body = {{"data", data}};
    if (page_count_) body["meta"] = {{"page-count", *page_count_}};
    net::ClientResponse response;
    response.status = 200;
    response.body = body.dump();
    return response;
  }

  std::vector<int> asked;

 private:
  std::vector<int> sizes_;
  std::optional<int> page_count_;
};

ActivationList activations_of(const std::shared_ptr<Pages>& pages) {
  return PartnerApi(pages, "https://api.teamtailor.test/partner/v1", "key").activations();
}

TEST(PartnerApiActivations, WithoutAPageCountAShortPageIsTheLast) {
  // Without meta.page-count the first page was taken for the last: companies 31 and up were
  // reported as "configured, not activated".
  auto pages = std::make_shared<Pages>(std::vector<int>{30, 15, 30}, std::nullopt);
  const ActivationList list = activations_of(pages);
  ASSERT_TRUE(list.answer.ok()) << list.answer.error;
  EXPECT_EQ(list.activations.size(), 45u);
  EXPECT_EQ(pages->asked, (std::vector<int>{1, 2}));
}

TEST(PartnerApiActivations, WithoutAPageCountAFullLastPageEndsAtTheEmptyOne) {
  auto pages = std::make_shared<Pages>(std::vector<int>{30, 30}, std::nullopt);
  EXPECT_EQ(activations_of(pages).activations.size(), 60u);
  EXPECT_EQ(pages->asked, (std::vector<int>{1, 2, 3}));
}

TEST(PartnerApiActivations, APageCountIsFollowed) {
  auto pages = std::make_shared<Pages>(std::vector<int>{30, 30, 30}, 2);
  EXPECT_EQ(activations_of(pages).activations.size(), 60u);
  EXPECT_EQ(pages->asked, (std::vector<int>{1, 2}));
}

}  // namespace
}  // namespace ttb::teamtailor
