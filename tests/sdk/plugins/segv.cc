// Test plugin "segv": well behaved except that handle_callback dereferences a null pointer on a
// body it cannot parse: a genuine crash, which only an isolated kit run can survive and report.
// create_order crashes the same way for a candidate whose email starts with "segv" (a poison
// invitation: tests/integration/poison_invite_test.cc).
#include <csignal>
#include <cstdlib>

#include "ttbridge/plugin.hpp"

namespace {
class Segv final : public ttb::sdk::Provider {
 public:
  Segv(ttb::sdk::Host host, std::string_view) : Provider(host) {}
  void list_tests(ttb::sdk::Call call) override {
    call.ok(
        R"({"tests":[{"id":"t1","name":"Crash test","kind":"assessment","description":"d","duration_minutes":30}]})");
  }
  void create_order(std::string_view request, ttb::sdk::Call call) override {
    if (request.find("\"email\":\"segv") != std::string_view::npos) crash();
    call.fail(TTB_STATUS_INVALID, "no");
  }
  void handle_callback(const ttb::sdk::CallbackRequest& req, ttb::sdk::Call call) override {
    if (req.body.empty() || req.body[0] != '{') crash();
    call.fail(TTB_STATUS_INVALID, "unsigned");
  }

 private:
  // Dies of SIGSEGV, as a write through NULL would. Not the write itself: in the sanitizer builds
  // of the tests, UBSan and ASan catch it and exit with 1 instead, so no test would see a
  // segfault there.
  [[noreturn]] static void crash() {
    std::signal(SIGSEGV, SIG_DFL);
    std::raise(SIGSEGV);  // the bug under test
    std::abort();
  }
};
}  // namespace

TTB_PLUGIN(Segv, "segv", "Segfaulting Test Plugin", "0.0.1")
