// Test plugin "create_fails": refuses every config, naming the missing setting.
#include "ttbridge/plugin.hpp"

namespace {
class CreateFails final : public ttb::sdk::Provider {
 public:
  CreateFails(ttb::sdk::Host host, std::string_view) : Provider(host) {
    throw ttb::sdk::Error(TTB_STATUS_INVALID, "config needs \"api_key\"");
  }
  void list_tests(ttb::sdk::Call) override {}
  void create_order(std::string_view, ttb::sdk::Call) override {}
  void handle_callback(const ttb::sdk::CallbackRequest&, ttb::sdk::Call) override {}
};
}  // namespace

TTB_PLUGIN(CreateFails, "create_fails", "Create Fails", "0.0.1")
