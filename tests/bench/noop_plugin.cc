// The bench's trivial plugin: every call completes at once with a constant, so plugin_call_ns
// measures only the host → plugin → completion path (strand hop, ABI, future), not vendor work.

#include <string_view>

#include "ttbridge/plugin.hpp"

namespace {

class Noop final : public ttb::sdk::Provider {
 public:
  Noop(ttb::sdk::Host host, std::string_view) : Provider(host) {}
  void list_tests(ttb::sdk::Call call) override { call.ok(R"({"tests":[]})"); }
  void create_order(std::string_view, ttb::sdk::Call call) override {
    call.ok(R"({"order_id":"o","vendor_order_id":"v","status":"sent","vendor_state":{}})");
  }
  void handle_callback(const ttb::sdk::CallbackRequest&, ttb::sdk::Call call) override {
    call.ok(R"({"reply":{"status":200,"headers":[],"body":""},"updates":[]})");
  }
};

}  // namespace

TTB_PLUGIN(Noop, "bench_noop", "Bench no-op", "1.0.0")
