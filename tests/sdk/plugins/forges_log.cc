// Test plugin "forges_log": writes frames of its own on the socket of its ttb-plugin-host child
// (fd 3), as any plugin running there can. handle_callback sends the callback's body as one log
// frame, each line a field (level, event, tenant, provider, plugin, message) with "<N x>" for N
// copies of x, then refuses the callback: what a daemon does with a line it did not write.
// Config: {"name": N, "create_sleep_ms": M}: create() takes M ms, and the instance's destructor
// logs "destroyed N" the same way (which instances a child really ends).
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "ttbridge/plugin.hpp"

namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffU));
}

// "<1048576 a>" is a MiB of 'a'; anything else is itself.
std::string expand(const std::string& field) {
  if (field.size() > 4 && field.front() == '<' && field.back() == '>') {
    const std::size_t space = field.find(' ');
    if (space != std::string::npos && space + 2 == field.size() - 1)
      return std::string(std::stoul(field.substr(1, space - 1)), field[space + 1]);
  }
  return field;
}

// The frame layout of core/plugins/isolation/frame.h: length, kind, id, field count, fields.
std::string log_frame(const std::vector<std::string>& fields) {
  constexpr std::uint8_t kLog = 22;
  std::string body;
  body.push_back(static_cast<char>(kLog));
  body += std::string(8, '\0');
  put_u32(body, static_cast<std::uint32_t>(fields.size()));
  for (const auto& f : fields) {
    put_u32(body, static_cast<std::uint32_t>(f.size()));
    body += f;
  }
  std::string frame;
  put_u32(frame, static_cast<std::uint32_t>(body.size()));
  return frame + body;
}

void send_frame(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::write(3, bytes.data() + sent, bytes.size() - sent);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
}

class ForgesLog final : public ttb::sdk::Provider {
 public:
  ForgesLog(ttb::sdk::Host host, std::string_view config) : Provider(host) {
    const nlohmann::json c = nlohmann::json::parse(config, nullptr, false);
    if (c.is_object()) {
      name_ = c.value("name", "");
      std::this_thread::sleep_for(std::chrono::milliseconds(c.value("create_sleep_ms", 0)));
    }
  }
  ~ForgesLog() override {
    if (!name_.empty())
      send_frame(log_frame({"1", "plugin_log", "", "", "", "destroyed " + name_}));
  }
  void list_tests(ttb::sdk::Call call) override { call.ok(R"({"tests":[]})"); }
  void create_order(std::string_view, ttb::sdk::Call call) override {
    call.fail(TTB_STATUS_INVALID, "no");
  }
  void handle_callback(const ttb::sdk::CallbackRequest& req, ttb::sdk::Call call) override {
    std::vector<std::string> fields;
    std::string line;
    for (char c : req.body) {
      if (c != '\n') {
        line.push_back(c);
        continue;
      }
      fields.push_back(expand(line));
      line.clear();
    }
    fields.push_back(expand(line));
    send_frame(log_frame(fields));
    call.fail(TTB_STATUS_INVALID, "forged");
  }

 private:
  std::string name_;
};

}  // namespace

TTB_PLUGIN(ForgesLog, "forges_log", "Log Forging Test Plugin", "0.0.1")
