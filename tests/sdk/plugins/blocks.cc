// Test plugin "blocks": list_tests waits (for a minute) instead of returning, as a plugin doing
// blocking I/O on the strand would; with "hang_in_create" in its config, create() does. Its
// config's "block_ms" shortens the wait, for a test that must outlast it: an in-process host
// cannot end a hung call, only join its thread once the call returns. "hang_if_exists": PATH
// and "fail_if_exists": PATH make create() hang or fail only while that file exists: an instance
// made in one child and made again, differently, in the next.
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

#include "ttbridge/plugin.hpp"

namespace {

// "block_ms": N from the config's JSON text, else a minute. The plugin parses no JSON: a scan
// for the key is enough for the tests' own configs.
std::chrono::milliseconds block_length(std::string_view config) {
  const std::string_view key = "\"block_ms\":";
  const auto at = config.find(key);
  if (at == std::string_view::npos) return std::chrono::seconds(60);
  return std::chrono::milliseconds(std::atol(std::string(config.substr(at + key.size())).c_str()));
}

// Whether the config's "key": "PATH" names a file that exists; false without the key.
bool file_named_exists(std::string_view config, std::string_view key) {
  // Appended, not "\"" + std::string(key): GCC 12 at -O3 flags that with a false -Wrestrict.
  std::string quoted = "\"";
  quoted += key;
  quoted += "\":\"";
  const auto at = config.find(quoted);
  if (at == std::string_view::npos) return false;
  const auto start = at + quoted.size();
  const auto end = config.find('"', start);
  if (end == std::string_view::npos) return false;
  return ::access(std::string(config.substr(start, end - start)).c_str(), F_OK) == 0;
}

class Blocks final : public ttb::sdk::Provider {
 public:
  Blocks(ttb::sdk::Host host, std::string_view config)
      : Provider(host), block_(block_length(config)) {
    if (config.find("hang_in_create") != std::string_view::npos ||
        file_named_exists(config, "hang_if_exists"))
      std::this_thread::sleep_for(block_);
    if (file_named_exists(config, "fail_if_exists"))
      throw ttb::sdk::Error(TTB_STATUS_INVALID, "fail_if_exists: the file is there");
  }
  void list_tests(ttb::sdk::Call call) override {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, block_);  // nobody notifies: this is the bug under test
    call.ok(R"({"tests":[]})");
  }
  void create_order(std::string_view, ttb::sdk::Call call) override {
    call.fail(TTB_STATUS_INVALID, "no");
  }
  void handle_callback(const ttb::sdk::CallbackRequest&, ttb::sdk::Call call) override {
    call.fail(TTB_STATUS_INVALID, "no");
  }

 private:
  const std::chrono::milliseconds block_;
  std::mutex mu_;
  std::condition_variable cv_;
};
}  // namespace

TTB_PLUGIN(Blocks, "blocks", "Blocking Test Plugin", "0.0.1")
