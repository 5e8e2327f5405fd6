// Test plugin "throws": every provider function throws; the SDK trampolines must turn each
// exception into TTB_STATUS_INTERNAL with its message.
#include <stdexcept>

#include "ttbridge/plugin.hpp"

namespace {
class Throws final : public ttb::sdk::Provider {
 public:
  Throws(ttb::sdk::Host host, std::string_view) : Provider(host) {}
  void list_tests(ttb::sdk::Call) override { throw std::runtime_error("boom in list_tests"); }
  void create_order(std::string_view, ttb::sdk::Call) override {
    throw std::runtime_error("boom in create_order");
  }
  void handle_callback(const ttb::sdk::CallbackRequest&, ttb::sdk::Call) override { throw 42; }
};
}  // namespace

TTB_PLUGIN(Throws, "throws", "Throwing Test Plugin", "0.0.1")
