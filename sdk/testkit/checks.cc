// The conformance checks. Each finding is one line: "PASS|WARN|FAIL <check>: <what>". A FAIL
// says what the plugin did and what the contract wants instead (docs/plugin-abi.md).

#include "testkit/checks.h"

#include <dlfcn.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "testkit/fake_host.h"
#include "ttbridge/plugin.h"
#include "ttbridge/test_list.hpp"

namespace ttb::testkit {
namespace {

using json = nlohmann::json;

const char* const kOrderRequest = R"({"order_id":"pr_check_1","test_id":"basic_criminal",
 "candidate":{"id":"1001","first_name":"Ada","last_name":"Lovelace","email":"ada@example.com",
 "phone":"+46700000000"},"job":{"id":"77","title":"Engineer"},"options":{},
 "callback_url":"https://ttbridge.example.com/callbacks/acme/check/orders/pr_check_1","locale":"en"})";

const char* const kOrderContext = R"({"order_id":"pr_check_1","vendor_order_id":"v_1",
 "test_id":"basic_criminal","status":"pending","candidate":{"id":"1001","first_name":"Ada",
 "last_name":"Lovelace","email":"ada@example.com","phone":"+46700000000"},"vendor_state":{}})";

const char* const kMalformed = "{\"order_id\": \"pr_1\", \"test_id\": [1, 2,";

// Watches plugin code: when a guarded function runs past the limit, reports and calls on_block.
class Watchdog {
 public:
  Watchdog(std::chrono::milliseconds limit, LineSink sink, std::function<void()> on_block)
      : limit_(limit),
        sink_(std::move(sink)),
        on_block_(std::move(on_block)),
        thread_([this] { loop(); }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void arm(std::string label) {
    std::lock_guard lock(mu_);
    label_ = std::move(label);
    deadline_ = std::chrono::steady_clock::now() + limit_;
    armed_ = true;
    cv_.notify_all();
  }
  void disarm() {
    std::lock_guard lock(mu_);
    armed_ = false;
  }

 private:
  void loop() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      if (!armed_) {
        cv_.wait(lock);
        continue;
      }
      if (cv_.wait_until(lock, deadline_) == std::cv_status::timeout && armed_ && !stop_ &&
          std::chrono::steady_clock::now() >= deadline_) {
        sink_("FAIL blocking: " + label_ + " did not return within " +
              std::to_string(limit_.count()) +
              " ms; plugin functions must return promptly and do I/O through host->http_send");
        armed_ = false;
        lock.unlock();
        on_block_();
        lock.lock();
      }
    }
  }
  std::chrono::milliseconds limit_;
  LineSink sink_;
  std::function<void()> on_block_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string label_;
  std::chrono::steady_clock::time_point deadline_;
  bool armed_ = false;
  bool stop_ = false;
  std::thread thread_;
};

class Checker {
 public:
  Checker(const CheckOptions& options, const LineSink& sink, const std::function<void()>& on_block)
      : options_(options),
        sink_(sink),
        watchdog_(options.block_limit, sink, on_block),
        host_([this](const char* label, const std::function<void()>& fn) { guarded(label, fn); }) {}

  int run(const std::filesystem::path& so, const std::string& config_json);

 private:
  void pass(const std::string& check, const std::string& what) { emit("PASS", check, what); }
  void warn(const std::string& check, const std::string& what) {
    ++warnings_;
    emit("WARN", check, what);
  }
  void fail(const std::string& check, const std::string& what) {
    ++failures_;
    emit("FAIL", check, what);
  }
  void emit(const char* kind, const std::string& check, const std::string& what) {
    if (std::strcmp(kind, "PASS") == 0) ++passes_;
    sink_(std::string(kind) + " " + check + ": " + what);
  }
  void stage(const std::string& name) { sink_("@stage " + name); }

  // Runs plugin code under the watchdog; false when an exception escaped (reported).
  bool guarded(const std::string& label, const std::function<void()>& fn) {
    watchdog_.arm(label);
    std::optional<std::string> escaped;
    try {
      fn();
    } catch (const std::exception& e) {
      escaped = e.what();
    } catch (...) {
      escaped = "unknown exception";
    }
    watchdog_.disarm();
    if (escaped) {
      fail("exceptions", "an exception escaped from " + label + ": " + *escaped +
                             " (catch everything at the boundary; plugin.hpp's trampolines do)");
      return false;
    }
    return true;
  }

  struct Outcome {
    bool completed = false;
    Completion completion;
  };
  // Calls one provider function and checks the exactly-once contract.
  std::optional<Outcome> call(const std::string& name, const std::function<void(ttb_call*)>& fn);

  bool negotiate(ttb_plugin_entry_fn entry);
  void check_descriptor_v11(const ttb_plugin_descriptor& d);
  void check_tests_payload(const Outcome& o);
  void check_order_update(const std::string& check, const std::string& payload);
  void expect_rejected(const std::string& check, const std::optional<Outcome>& o);
  void check_callbacks();
  void check_optional();

  CheckOptions options_;
  LineSink sink_;
  Watchdog watchdog_;
  FakeHost host_;
  const ttb_plugin_descriptor* d_ = nullptr;
  bool v11_ = false;  // the descriptor has the 1.1 members (abi_minor >= 1, long enough)
  ttb_plugin* plugin_ = nullptr;
  const ttb_provider* vt_ = nullptr;
  int passes_ = 0, warnings_ = 0, failures_ = 0;
};

std::string status_text(ttb_status s) {
  return std::string(ttb_status_name(s)) + " (" + std::to_string(s) + ")";
}

std::optional<Checker::Outcome> Checker::call(const std::string& name,
                                              const std::function<void(ttb_call*)>& fn) {
  stage(name);
  ttb_call* c = host_.new_call();
  if (!guarded(name, [&] { fn(c); })) return std::nullopt;
  Outcome o;
  o.completed = host_.wait_for(c, options_.call_limit);
  host_.settle(options_.grace);
  auto all = host_.completions(c);
  if (!o.completed || all.empty()) {
    fail(name, "never completed within " + std::to_string(options_.call_limit.count()) +
                   " ms; every call must end in exactly one host->complete()");
    return std::nullopt;
  }
  if (all.size() > 1) {
    fail(name, "completed " + std::to_string(all.size()) + " times; exactly once is required");
    return std::nullopt;
  }
  o.completion = all.front();
  if (!o.completion.valid_struct) {
    fail(name, "completed with a NULL completion or a struct_size below ttb_completion 1.0");
    return std::nullopt;
  }
  const ttb_status s = o.completion.status;
  if (s < TTB_STATUS_OK || s > TTB_STATUS_INTERNAL) {
    fail(name, "completed with unknown status code " + std::to_string(s));
    return std::nullopt;
  }
  if (s == TTB_STATUS_INTERNAL) {
    fail(name, "completed with internal (a plugin bug): " + o.completion.detail);
    return std::nullopt;
  }
  if (s == TTB_STATUS_RATE_LIMITED && o.completion.retry_after_ms == 0)
    warn(name, "rate_limited without retry_after_ms; the host falls back to its backoff");
  if (s == TTB_STATUS_OK) {
    auto j = json::parse(o.completion.json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      fail(name, "completed ok with a payload that is not a JSON object");
      return std::nullopt;
    }
  }
  return o;
}

bool Checker::negotiate(ttb_plugin_entry_fn entry) {
  stage("negotiate");
  const ttb_plugin_descriptor* d = nullptr;
  if (!guarded("ttb_plugin_entry", [&] { d = entry(TTB_ABI_MAJOR, TTB_ABI_MINOR); })) return false;
  if (d == nullptr) {
    const ttb_plugin_descriptor* probe = nullptr;
    guarded("ttb_plugin_entry", [&] { probe = entry(TTB_ABI_PROBE_MAJOR, 0); });
    std::string why = probe == nullptr
                          ? std::string()
                          : "; the plugin was built for ABI " + std::to_string(probe->abi_major) +
                                "." + std::to_string(probe->abi_minor) + ", this kit speaks " +
                                std::to_string(TTB_ABI_MAJOR) + "." + std::to_string(TTB_ABI_MINOR);
    fail("negotiate",
         "ttb_plugin_entry(1, " + std::to_string(TTB_ABI_MINOR) + ") returned NULL" + why);
    return false;
  }
  constexpr std::size_t kV10 = offsetof(ttb_plugin_descriptor, get_interface) + sizeof(void*);
  if (d->struct_size < kV10 || d->abi_major != TTB_ABI_MAJOR || !d->create || !d->destroy ||
      !d->get_interface) {
    fail("descriptor", "struct_size, abi_major 1, create, destroy and get_interface are required");
    return false;
  }
  auto nonempty = [](const char* s) { return s != nullptr && s[0] != '\0'; };
  if (!nonempty(d->id) || !nonempty(d->name) || !nonempty(d->version)) {
    fail("descriptor", "id, name and version must be non-empty static strings");
    return false;
  }
  bool id_ok = true;
  for (const char* p = d->id; *p; ++p)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
      id_ok = false;
  if (!id_ok)
    warn("descriptor", std::string("id \"") + d->id + "\" should be lowercase [a-z0-9_-]");
  pass("descriptor", std::string(d->id) + " \"" + d->name + "\" " + d->version +
                         ", built for ABI " + std::to_string(d->abi_major) + "." +
                         std::to_string(d->abi_minor));
  check_descriptor_v11(*d);
  if (d->abi_minor > TTB_ABI_MINOR)
    warn("negotiate",
         "built against a newer SDK minor than this kit; it must still work with min(host, own)");

  const ttb_plugin_descriptor* newer = nullptr;
  const ttb_plugin_descriptor* other_major = nullptr;
  const ttb_plugin_descriptor* probe = nullptr;
  guarded("ttb_plugin_entry", [&] {
    newer = entry(TTB_ABI_MAJOR, TTB_ABI_MINOR + 1);
    other_major = entry(TTB_ABI_MAJOR + 1, 0);
    probe = entry(TTB_ABI_PROBE_MAJOR, 0);
  });
  if (newer == nullptr)
    fail("negotiate", "refuses a host of a newer minor (1." + std::to_string(TTB_ABI_MINOR + 1) +
                          "); minors are compatible: use min(host, own)");
  else
    pass("negotiate", "accepts host ABI 1." + std::to_string(TTB_ABI_MINOR) + " and 1." +
                          std::to_string(TTB_ABI_MINOR + 1));
  if (other_major != nullptr)
    fail("negotiate", "accepted host major " + std::to_string(TTB_ABI_MAJOR + 1) +
                          "; a different major must give NULL");
  else
    pass("negotiate", "refuses host major " + std::to_string(TTB_ABI_MAJOR + 1));
  if (probe == nullptr || probe->abi_major != TTB_ABI_MAJOR)
    warn("negotiate",
         "the identification probe ttb_plugin_entry(0, 0) gave no descriptor; hosts cannot name "
         "your version in errors");
  d_ = d;
  return true;
}

void Checker::check_descriptor_v11(const ttb_plugin_descriptor& d) {
  constexpr std::size_t kV11 = offsetof(ttb_plugin_descriptor, actions) + sizeof(void*);
  v11_ = d.abi_minor >= 1 && d.struct_size >= kV11;
  if (!v11_) {
    sink_("INFO descriptor: built against ABI 1.0; no config schema, sample config or actions");
    return;
  }
  json schema;
  if (d.config_schema == nullptr) {
    warn("config_schema", "none; operators get no config check and no generated config table");
  } else {
    schema = json::parse(d.config_schema, nullptr, false);
    if (schema.is_discarded() || !schema.is_object() || schema.value("type", "") != "object" ||
        !schema.contains("properties") || !schema["properties"].is_object())
      fail("config_schema",
           "must be JSON text of an object schema: {\"type\":\"object\",\"properties\":{...}}");
    else
      pass("config_schema", std::to_string(schema["properties"].size()) + " setting(s)");
  }
  if (d.sample_config == nullptr) {
    warn("sample_config", "none; the kit needs --config to create the plugin");
  } else {
    json sample = json::parse(d.sample_config, nullptr, false);
    if (sample.is_discarded() || !sample.is_object()) {
      fail("sample_config", "must be JSON text of an object (a provider config)");
    } else {
      std::string missing;
      if (schema.is_object() && schema.contains("required") && schema["required"].is_array())
        for (const auto& key : schema["required"])
          if (key.is_string() && !sample.contains(key.get<std::string>()))
            missing += " `" + key.get<std::string>() + "`";
      if (missing.empty())
        pass("sample_config", "a JSON object with every required setting");
      else
        fail("sample_config", "lacks what the schema requires:" + missing);
    }
  }
  std::string names;
  for (std::size_t i = 0; d.actions != nullptr && d.actions[i] != nullptr; ++i) {
    if (i >= 64) {
      fail("actions", "more than 64 entries; is the list missing its NULL terminator?");
      break;
    }
    bool ok = d.actions[i][0] != '\0';
    for (const char* p = d.actions[i]; *p; ++p)
      if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) ok = false;
    if (!ok) fail("actions", std::string("\"") + d.actions[i] + "\" is not a lowercase name");
    names += std::string(names.empty() ? "" : ", ") + d.actions[i];
  }
  sink_("INFO actions: " + (names.empty() ? std::string("none declared") : names));
}

void Checker::check_tests_payload(const Outcome& o) {
  auto j = json::parse(o.completion.json, nullptr, false);
  if (!j.contains("tests") || !j["tests"].is_array()) {
    fail("list_tests",
         "payload needs a \"tests\" array: {\"tests\":[{\"id\",\"name\",\"kind\",...}]}");
    return;
  }
  for (const auto& t : j["tests"]) {
    if (!t.is_object() || !t.contains("id") || !t["id"].is_string() ||
        t["id"].get<std::string>().empty() || !t.contains("name") || !t["name"].is_string() ||
        !t.contains("kind") || !t["kind"].is_string() ||
        (t["kind"] != "assessment" && t["kind"] != "background_check")) {
      fail("list_tests",
           "each test needs id, name and kind \"assessment\" or \"background_check\": " +
               t.dump().substr(0, 200));
      return;
    }
    if (!sdk::is_valid_test_id(t["id"].get_ref<const std::string&>())) {
      fail("list_tests", "test id longer than " + std::to_string(sdk::kMaxTestIdBytes) +
                             " bytes or with a control character; the host refuses the whole "
                             "list (skip such a test: ttb::sdk::is_valid_test_id): " +
                             t.dump().substr(0, 200));
      return;
    }
    if (t.contains("duration_minutes") && !t["duration_minutes"].is_null() &&
        !t["duration_minutes"].is_number_integer()) {
      fail("list_tests", "duration_minutes must be an integer or null");
      return;
    }
  }
  pass("list_tests", "completed once with " + std::to_string(j["tests"].size()) + " test(s)");
}

void Checker::check_order_update(const std::string& check, const std::string& payload) {
  auto j = json::parse(payload, nullptr, false);
  static const char* const kStatuses[] = {"sent", "pending", "completed", "failed"};
  bool status_ok = false;
  if (j.contains("status") && j["status"].is_string())
    for (const char* s : kStatuses) status_ok = status_ok || j["status"] == s;
  if (!status_ok) {
    fail(check, "order update needs status sent|pending|completed|failed");
    return;
  }
  if (j.contains("score") && !j["score"].is_null() &&
      (!j["score"].is_number() || j["score"].get<double>() < 0 || j["score"].get<double>() > 100)) {
    fail(check, "score must be a number 0..100 or null");
    return;
  }
  if (j.contains("vendor_state") && !j["vendor_state"].is_object()) {
    fail(check, "vendor_state must be an object");
    return;
  }
  pass(check,
       "completed once with an order update (status " + j["status"].get<std::string>() + ")");
}

void Checker::expect_rejected(const std::string& check, const std::optional<Outcome>& o) {
  if (!o) return;  // already reported
  ttb_status s = o->completion.status;
  if (s == TTB_STATUS_OK)
    fail(check, "accepted malformed input; it must complete with invalid");
  else if (s == TTB_STATUS_INVALID)
    pass(check, "rejected with invalid");
  else
    warn(check, "rejected with " + status_text(s) + "; invalid is expected for malformed input");
}

void Checker::check_callbacks() {
  struct Variant {
    const char* label;
    std::string method, path, body, order_json;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  std::string binary;
  for (int i = 0; i < 512; ++i) binary.push_back(static_cast<char>((i * 131 + 7) % 256));
  std::vector<Variant> variants;
  variants.push_back({"empty request", "", "", "", "", {}});
  variants.push_back({"binary body",
                      "POST",
                      "../../etc/passwd",
                      binary,
                      "garbage{",
                      {{"Content-Type", "application/json"}, {"X-Signature", "\x01\x02"}}});
  variants.push_back(
      {"unsigned JSON event",
       "POST",
       "",
       R"({"id":"evt_x","type":"report.completed","data":{"object":{"id":"v_1","status":"clear"}}})",
       kOrderContext,
       {{"Content-Type", "application/json"}}});
  variants.push_back({"malformed JSON",
                      "POST",
                      "orders/pr_check_1",
                      kMalformed,
                      "",
                      {{"Content-Type", "application/json"}}});
  variants.push_back(
      {"1 MiB body", "PUT", std::string(300, 'a'), std::string(1 << 20, '{'), "", {}});
  constexpr int kManyHeaders = 200;
  std::vector<std::pair<std::string, std::string>> many;
  many.reserve(kManyHeaders);
  for (int i = 0; i < kManyHeaders; ++i)
    many.emplace_back("X-H" + std::to_string(i), std::string(i, 'v'));
  variants.push_back({"200 headers", "POST", "", "{}", "", many});

  int survived = 0;
  for (const auto& v : variants) {
    std::vector<ttb_header> hs;
    for (const auto& [k, val] : v.headers)
      hs.push_back({{k.data(), k.size()}, {val.data(), val.size()}});
    ttb_callback_request r{};
    r.struct_size = sizeof r;
    r.method = {v.method.data(), v.method.size()};
    r.path = {v.path.data(), v.path.size()};
    r.headers = hs.data();
    r.header_count = hs.size();
    r.body = {v.body.data(), v.body.size()};
    r.order_json = {v.order_json.data(), v.order_json.size()};
    const std::string check = std::string("handle_callback (") + v.label + ")";
    auto o = call(check, [&](ttb_call* c) { vt_->handle_callback(plugin_, &r, c); });
    if (!o) continue;
    if (o->completion.status != TTB_STATUS_OK) {
      ++survived;
      continue;
    }
    auto j = json::parse(o->completion.json, nullptr, false);
    if (!j.contains("reply") || !j["reply"].is_object() || !j["reply"].contains("status") ||
        !j["reply"]["status"].is_number_integer() || j["reply"]["status"].get<int>() < 100 ||
        j["reply"]["status"].get<int>() > 599) {
      fail(check, "completed ok without reply.status (an HTTP status for the vendor)");
      continue;
    }
    if (j.contains("updates") && j["updates"].is_array() && !j["updates"].empty()) {
      fail(check,
           "produced order updates from an unauthenticated request; verify the vendor's signature "
           "first");
      continue;
    }
    ++survived;
  }
  if (survived == static_cast<int>(variants.size()))
    pass("handle_callback", "survived " + std::to_string(variants.size()) +
                                " garbage requests, each completed once without updates");
}

void Checker::check_optional() {
  if (vt_->fetch_order) {
    auto o = call("fetch_order", [&](ttb_call* c) {
      vt_->fetch_order(plugin_, {kOrderContext, std::strlen(kOrderContext)}, c);
    });
    if (o && o->completion.status == TTB_STATUS_OK)
      check_order_update("fetch_order", o->completion.json);
    else if (o)
      pass("fetch_order", "completed once with " + status_text(o->completion.status));
    expect_rejected("fetch_order (malformed)", call("fetch_order (malformed)", [&](ttb_call* c) {
                      vt_->fetch_order(plugin_, {kMalformed, std::strlen(kMalformed)}, c);
                    }));
  }
  if (vt_->cancel_order) {
    auto o = call("cancel_order", [&](ttb_call* c) {
      vt_->cancel_order(plugin_, {kOrderContext, std::strlen(kOrderContext)}, c);
    });
    if (o && o->completion.status == TTB_STATUS_OK)
      check_order_update("cancel_order", o->completion.json);
    else if (o)
      pass("cancel_order", "completed once with " + status_text(o->completion.status));
    expect_rejected("cancel_order (malformed)", call("cancel_order (malformed)", [&](ttb_call* c) {
                      vt_->cancel_order(plugin_, {kMalformed, std::strlen(kMalformed)}, c);
                    }));
  }
  if (!vt_->run_action && v11_ && d_->actions != nullptr && d_->actions[0] != nullptr)
    fail("actions", "the descriptor declares actions but the provider has no run_action");
  if (vt_->run_action) {
    std::string unknown =
        std::string(R"({"action":"ttb.check.no_such_action","order":)") + kOrderContext + "}";
    auto o = call("run_action (unknown action)", [&](ttb_call* c) {
      vt_->run_action(plugin_, {unknown.data(), unknown.size()}, c);
    });
    if (o) {
      if (o->completion.status == TTB_STATUS_UNSUPPORTED)
        pass("run_action (unknown action)", "rejected with unsupported");
      else if (o->completion.status == TTB_STATUS_OK)
        fail("run_action (unknown action)",
             "accepted an action it cannot know; unknown actions complete with unsupported");
      else
        warn("run_action (unknown action)",
             "rejected with " + status_text(o->completion.status) + "; unsupported is expected");
    }
    expect_rejected("run_action (malformed)", call("run_action (malformed)", [&](ttb_call* c) {
                      vt_->run_action(plugin_, {kMalformed, std::strlen(kMalformed)}, c);
                    }));
  }
  constexpr std::size_t kProviderV11 = offsetof(ttb_provider, fetch_document) + sizeof(void*);
  const bool has_fetch_document =
      v11_ && vt_->struct_size >= kProviderV11 && vt_->fetch_document != nullptr;
  if (has_fetch_document) {
    std::string request =
        std::string(R"({"document":"report","url":"","order":)") + kOrderContext + "}";
    auto o = call("fetch_document", [&](ttb_call* c) {
      vt_->fetch_document(plugin_, {request.data(), request.size()}, c);
    });
    if (o && o->completion.status == TTB_STATUS_OK) {
      auto j = json::parse(o->completion.json, nullptr, false);
      const bool link = j.contains("url") && j["url"].is_string();
      const bool bytes = j.contains("body_base64") && j["body_base64"].is_string() &&
                         j.contains("content_type") && j["content_type"].is_string();
      if (link || bytes)
        pass("fetch_document", link ? "answered with a link" : "answered with the bytes");
      else
        fail("fetch_document",
             "completed ok without {\"url\"} or {\"content_type\", \"body_base64\"}");
    } else if (o) {
      pass("fetch_document", "completed once with " + status_text(o->completion.status));
    }
    expect_rejected("fetch_document (malformed)",
                    call("fetch_document (malformed)", [&](ttb_call* c) {
                      vt_->fetch_document(plugin_, {kMalformed, std::strlen(kMalformed)}, c);
                    }));
  }
  std::string optional;
  if (!has_fetch_document) optional += " fetch_document";
  if (!vt_->fetch_order) optional += " fetch_order";
  if (!vt_->cancel_order) optional += " cancel_order";
  if (!vt_->run_action) optional += " run_action";
  if (!optional.empty()) sink_("INFO optional: not implemented (NULL):" + optional);
}

int Checker::run(const std::filesystem::path& so, const std::string& config_json) {
  stage("load");
  void* lib = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* e = dlerror();
    fail("load", std::string("cannot load ") + so.string() + ": " + (e ? e : "unknown error"));
  } else {
    auto entry = reinterpret_cast<ttb_plugin_entry_fn>(dlsym(lib, TTB_PLUGIN_ENTRY_SYMBOL));
    if (entry == nullptr) {
      fail("entry", so.string() + " does not export " TTB_PLUGIN_ENTRY_SYMBOL);
    } else {
      pass("entry", TTB_PLUGIN_ENTRY_SYMBOL " found in " + so.string());
      if (negotiate(entry)) {
        // create: a malformed config is refused with a message; the real one is accepted.
        stage("create");
        char err[256];
        std::memset(err, 'x', sizeof err);
        ttb_plugin* bad = nullptr;
        ttb_status st = TTB_STATUS_OK;
        const char* junk = "{\"api_key\": ";
        if (guarded("create (malformed config)", [&] {
              st = d_->create(host_.host(), {junk, std::strlen(junk)}, &bad, err, sizeof err);
            })) {
          if (st == TTB_STATUS_OK) {
            warn("create",
                 "accepted a malformed JSON config; refuse it with invalid and a message");
            if (bad) guarded("destroy", [&] { d_->destroy(bad); });
          } else if (std::memchr(err, '\0', sizeof err) == nullptr || err[0] == '\0') {
            fail("create", "refused a malformed config without a NUL-terminated message in err");
          } else {
            pass("create", "refuses a malformed config with " + status_text(st) + ": " + err);
          }
        }
        // Without --config, the plugin's own sample (ABI 1.1) stands in for a tenant's config.
        std::string cfg = config_json;
        if (cfg.empty() && v11_ && d_->sample_config != nullptr) {
          cfg = d_->sample_config;
          sink_("INFO create: no --config given; using the plugin's sample_config");
        }
        if (cfg.empty()) cfg = "{}";
        err[0] = '\0';
        st = TTB_STATUS_INTERNAL;
        bool created = guarded("create", [&] {
          st = d_->create(host_.host(), {cfg.data(), cfg.size()}, &plugin_, err, sizeof err);
        });
        err[sizeof err - 1] = '\0';
        if (created && (st != TTB_STATUS_OK || plugin_ == nullptr)) {
          fail("create", "failed with " + status_text(st) + ": " + err +
                             " (pass the provider's config with --config)");
        } else if (created) {
          pass("create", "instance created with the given config");
          stage("get_interface");
          const void* iface = nullptr;
          const void* other = nullptr;
          guarded("get_interface", [&] {
            iface = d_->get_interface(plugin_, TTB_PROVIDER_INTERFACE_ID);
            other = d_->get_interface(plugin_, "ttb.check.no_such_interface/1");
          });
          vt_ = static_cast<const ttb_provider*>(iface);
          constexpr std::size_t kV10 = offsetof(ttb_provider, run_action) + sizeof(void*);
          if (other != nullptr)
            fail("get_interface", "returned a table for an unknown interface id; return NULL");
          if (vt_ == nullptr || vt_->struct_size < kV10 || !vt_->list_tests || !vt_->create_order ||
              !vt_->handle_callback) {
            fail("get_interface", TTB_PROVIDER_INTERFACE_ID
                 " missing, or without list_tests, create_order, handle_callback");
            vt_ = nullptr;
          } else {
            pass("get_interface", TTB_PROVIDER_INTERFACE_ID " with its mandatory functions");
          }
          if (vt_) {
            if (auto o = call("list_tests", [&](ttb_call* c) { vt_->list_tests(plugin_, c); })) {
              if (o->completion.status == TTB_STATUS_OK)
                check_tests_payload(*o);
              else
                pass("list_tests", "completed once with " + status_text(o->completion.status));
            }
            if (auto o = call("create_order", [&](ttb_call* c) {
                  vt_->create_order(plugin_, {kOrderRequest, std::strlen(kOrderRequest)}, c);
                })) {
              if (o->completion.status == TTB_STATUS_OK)
                check_order_update("create_order", o->completion.json);
              else
                pass("create_order",
                     "completed once with " + status_text(o->completion.status) +
                         (host_.http_requests() ? " (the fake host answers HTTP with 503)" : ""));
            }
            expect_rejected("create_order (malformed JSON)",
                            call("create_order (malformed JSON)", [&](ttb_call* c) {
                              vt_->create_order(plugin_, {kMalformed, std::strlen(kMalformed)}, c);
                            }));
            expect_rejected("create_order (not an object)",
                            call("create_order (not an object)", [&](ttb_call* c) {
                              vt_->create_order(plugin_, {"[]", 2}, c);
                            }));
            expect_rejected("create_order (missing fields)",
                            call("create_order (missing fields)", [&](ttb_call* c) {
                              vt_->create_order(plugin_, {"{}", 2}, c);
                            }));
            check_callbacks();
            check_optional();
          }
          stage("destroy");
          host_.settle(options_.grace);
          if (guarded("destroy", [&] { d_->destroy(plugin_); }))
            pass("destroy", "instance destroyed");
          plugin_ = nullptr;
        }
      }
    }
    // The library stays loaded: the kit exits soon, and unloading plugin code is never safe.
  }
  if (host_.unknown_completions() > 0)
    fail("complete", std::to_string(host_.unknown_completions()) +
                         " completion(s) for calls the host never made");
  sink_("INFO host: " + std::to_string(host_.http_requests()) +
        " HTTP request(s) answered with 503, " + std::to_string(host_.log_lines()) +
        " log line(s)");
  sink_(std::string("RESULT ") + (failures_ == 0 ? "PASS" : "FAIL") + ": " +
        std::to_string(passes_) + " passed, " + std::to_string(warnings_) + " warning(s), " +
        std::to_string(failures_) + " failed");
  return failures_ == 0 ? 0 : 1;
}

}  // namespace

int run_checks(const std::filesystem::path& so, const std::string& config_json,
               const CheckOptions& options, const LineSink& sink,
               const std::function<void()>& on_block) {
  Checker checker(options, sink, on_block);
  return checker.run(so, config_json);
}

}  // namespace ttb::testkit
