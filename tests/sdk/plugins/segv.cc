// Test plugin "segv": well behaved except that handle_callback dereferences a null pointer on a
// body it cannot parse: a genuine crash, which only an isolated kit run can survive and report.
#include <cstdlib>

#include "ttbridge/plugin.hpp"

namespace {
class Segv final : public ttb::sdk::Provider {
 public:
  Segv(ttb::sdk::Host host, std::string_view) : Provider(host) {}
  void list_tests(ttb::sdk::Call call) override { call.ok(R"({"tests":[]})"); }
  void create_order(std::string_view, ttb::sdk::Call call) override {
    call.fail(TTB_STATUS_INVALID, "no");
  }
  void handle_callback(const ttb::sdk::CallbackRequest& req, ttb::sdk::Call call) override {
    if (req.body.empty() || req.body[0] != '{') {
      volatile int* p = nullptr;
      *p = 1;  // the bug under test
      std::abort();
    }
    call.fail(TTB_STATUS_INVALID, "unsigned");
  }
};
}  // namespace

TTB_PLUGIN(Segv, "segv", "Segfaulting Test Plugin", "0.0.1")
