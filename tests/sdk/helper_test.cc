// plugin.hpp's promises, checked against a minimal host table: a Call completes exactly once,
// a dropped Call completes with INTERNAL, and ttb::sdk::Error carries its status.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ttbridge/plugin.hpp"

namespace {

struct Recorded {
  ttb_status status;
  std::string json, detail;
  std::uint32_t retry_after_ms;
};
std::vector<Recorded> g_completions;

void complete(const ttb_host*, ttb_call*, const ttb_completion* c) {
  g_completions.push_back({c->status, std::string(ttb::sdk::to_view(c->json)),
                           std::string(ttb::sdk::to_view(c->detail)), c->retry_after_ms});
}

ttb_host make_host() {
  ttb_host h{};
  h.struct_size = sizeof h;
  h.abi_major = TTB_ABI_MAJOR;
  h.complete = &complete;
  return h;
}

ttb_call* token(std::uintptr_t id) {
  return reinterpret_cast<ttb_call*>(id);
}

TEST(SdkCall, CompletesExactlyOnceAcrossCopies) {
  g_completions.clear();
  ttb_host h = make_host();
  {
    ttb::sdk::Call a(&h, token(1));
    ttb::sdk::Call b = a;
    a.ok("{}");
    b.fail(TTB_STATUS_INVALID, "second");
    EXPECT_TRUE(b.done());
  }
  ASSERT_EQ(g_completions.size(), 1u);
  EXPECT_EQ(g_completions[0].status, TTB_STATUS_OK);
}

TEST(SdkCall, DroppedCallCompletesWithInternal) {
  g_completions.clear();
  ttb_host h = make_host();
  { ttb::sdk::Call a(&h, token(2)); }
  ASSERT_EQ(g_completions.size(), 1u);
  EXPECT_EQ(g_completions[0].status, TTB_STATUS_INTERNAL);
  EXPECT_NE(g_completions[0].detail.find("without completing"), std::string::npos);
}

TEST(SdkTrampolines, ErrorKeepsItsStatusAndOtherExceptionsBecomeInternal) {
  g_completions.clear();
  ttb_host h = make_host();
  ttb::sdk::detail::guarded(&h, token(3), [](ttb::sdk::Call) {
    throw ttb::sdk::Error(TTB_STATUS_RATE_LIMITED, "slow down", 1500);
  });
  ttb::sdk::detail::guarded(&h, token(4), [](ttb::sdk::Call) { throw std::runtime_error("bug"); });
  ASSERT_EQ(g_completions.size(), 2u);
  EXPECT_EQ(g_completions[0].status, TTB_STATUS_RATE_LIMITED);
  EXPECT_EQ(g_completions[0].retry_after_ms, 1500u);
  EXPECT_EQ(g_completions[1].status, TTB_STATUS_INTERNAL);
  EXPECT_EQ(g_completions[1].detail, "bug");
}

}  // namespace
