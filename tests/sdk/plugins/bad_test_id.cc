// Test plugin "bad_test_id": well behaved except that list_tests passes on a vendor's test whose
// id has a control character, which the host refuses with the whole list.
#include "ttbridge/plugin.hpp"

namespace {
class BadTestId final : public ttb::sdk::Provider {
 public:
  BadTestId(ttb::sdk::Host host, std::string_view) : Provider(host) {}
  void list_tests(ttb::sdk::Call call) override {
    call.ok(R"({"tests":[{"id":"t1","name":"Fine","kind":"assessment"},)"
            R"({"id":"t\u00012","name":"Odd","kind":"assessment"}]})");
  }
  void create_order(std::string_view, ttb::sdk::Call call) override {
    call.fail(TTB_STATUS_INVALID, "no");
  }
  void handle_callback(const ttb::sdk::CallbackRequest&, ttb::sdk::Call call) override {
    call.fail(TTB_STATUS_INVALID, "no");
  }
};
}  // namespace

TTB_PLUGIN(BadTestId, "bad_test_id", "Bad Test Id Test Plugin", "0.0.1")
