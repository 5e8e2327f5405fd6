// Test plugin "blocks": list_tests waits (for a minute) instead of returning, as a plugin doing
// blocking I/O on the strand would; with "hang_in_create" in its config, create() does.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "ttbridge/plugin.hpp"

namespace {
class Blocks final : public ttb::sdk::Provider {
 public:
  Blocks(ttb::sdk::Host host, std::string_view config) : Provider(host) {
    if (config.find("hang_in_create") != std::string_view::npos)
      std::this_thread::sleep_for(std::chrono::seconds(60));
  }
  void list_tests(ttb::sdk::Call call) override {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(60));  // nobody notifies: this is the bug under test
    call.ok(R"({"tests":[]})");
  }
  void create_order(std::string_view, ttb::sdk::Call call) override {
    call.fail(TTB_STATUS_INVALID, "no");
  }
  void handle_callback(const ttb::sdk::CallbackRequest&, ttb::sdk::Call call) override {
    call.fail(TTB_STATUS_INVALID, "no");
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
};
}  // namespace

TTB_PLUGIN(Blocks, "blocks", "Blocking Test Plugin", "0.0.1")
