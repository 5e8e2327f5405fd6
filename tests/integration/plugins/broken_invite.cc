// Test plugin "broken_invite": offers test t1 and breaks in create_order as its config says
// ({"fault": "segv" | "hang" | "throw"}), the way tests/sdk's broken plugins break elsewhere. The
// isolation tests send real invitations through it: the daemon must survive each fault.
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <stdexcept>
#include <string>

#include "ttbridge/plugin.hpp"

namespace {
class BrokenInvite final : public ttb::sdk::Provider {
 public:
  BrokenInvite(ttb::sdk::Host host, std::string_view config) : Provider(host) {
    for (const char* fault : {"segv", "hang", "throw"})
      if (config.find(std::string("\"") + fault + "\"") != std::string_view::npos) fault_ = fault;
  }
  void list_tests(ttb::sdk::Call call) override {
    call.ok(R"({"tests":[{"id":"t1","name":"Broken","kind":"assessment"}]})");
  }
  void create_order(std::string_view, ttb::sdk::Call call) override {
    if (fault_ == "segv") {
      // A segfault's death, without the write through NULL that the sanitizer builds would catch
      // and turn into exit 1 (tests/sdk/plugins/segv.cc).
      std::signal(SIGSEGV, SIG_DFL);
      std::raise(SIGSEGV);  // the bug under test
    }
    if (fault_ == "hang") {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::minutes(10));  // nobody notifies: the bug under test
    }
    if (fault_ == "throw") throw std::runtime_error("boom in create_order");
    call.fail(TTB_STATUS_INVALID, "no fault configured");
  }
  void handle_callback(const ttb::sdk::CallbackRequest&, ttb::sdk::Call call) override {
    call.fail(TTB_STATUS_INVALID, "no");
  }

 private:
  std::string fault_;
  std::mutex mu_;
  std::condition_variable cv_;
};
}  // namespace

TTB_PLUGIN(BrokenInvite, "broken_invite", "Broken Invite Test Plugin", "0.0.1")
