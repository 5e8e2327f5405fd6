// Plugin instances: the host table (log, http_send, complete, now_ms, get_extension), call
// deadlines and strand serialisation. See instance.h.

#include "plugins/internal/instance.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <exception>
#include <vector>

#include <boost/asio/post.hpp>

#include "net/client_target.h"
#include "net/http_client.h"
#include "ops/thread_name.h"

namespace ttb::plugins {
namespace {

constexpr std::size_t kMaxLogMessage = 4096;
constexpr std::size_t kMaxPayload = std::size_t{16} * 1024 * 1024;

std::string_view view(ttb_str s) {
  return s.ptr == nullptr ? std::string_view{} : std::string_view(s.ptr, s.len);
}
ttb_str str(std::string_view s) {
  return ttb_str{s.data(), s.size()};
}

// Call tokens are ids, not pointers: a late or repeated completion finds nothing instead of
// touching freed memory. No pointer provenance to lose, so performance-no-int-to-ptr is wrong here.
std::atomic<std::uint64_t> g_next_call_id{1};
ttb_call* token(std::uint64_t id) {
  // NOLINTNEXTLINE(performance-no-int-to-ptr)
  return reinterpret_cast<ttb_call*>(static_cast<std::uintptr_t>(id));
}
std::uint64_t id_of(ttb_call* call) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(call));
}

Instance* self_of(const ttb_host* host) {
  return host == nullptr ? nullptr : static_cast<Instance*>(host->host_data);
}

// Log text from a plugin: bounded, one line.
std::string sanitize(std::string_view text) {
  std::string out(text.substr(0, kMaxLogMessage));
  for (char& c : out)
    if (c == '\n' || c == '\r' || c == '\0') c = ' ';
  if (text.size() > kMaxLogMessage) out += "...";
  return out;
}

// The C entry points of the host table. Each is noexcept in effect: nothing escapes to the
// plugin.
void host_log(const ttb_host* host, ttb_log_level level, ttb_str message) {
  try {
    if (auto* self = self_of(host)) self->on_log(level, view(message));
  } catch (...) {
  }
}

ttb_status host_http_send(const ttb_host* host, const ttb_http_request* request,
                          ttb_http_callback callback, void* user_data) {
  try {
    auto* self = self_of(host);
    if (self == nullptr) return TTB_STATUS_INVALID;
    return self->on_http_send(request, callback, user_data);
  } catch (...) {
    return TTB_STATUS_INTERNAL;
  }
}

void host_complete(const ttb_host* host, ttb_call* call, const ttb_completion* completion) {
  try {
    if (auto* self = self_of(host)) self->on_complete(call, completion);
  } catch (...) {
  }
}

int64_t host_now_ms(const ttb_host* host) {
  try {
    if (auto* self = self_of(host)) return self->now_ms();
  } catch (...) {
  }
  return 0;
}

const void* host_get_extension(const ttb_host* host, const char* id) {
  (void)host;
  (void)id;
  return nullptr;  // v1 hosts offer no extensions yet
}

}  // namespace

struct Instance::PendingCall {
  PendingCall(boost::asio::io_context& io, const char* op, Completion on_done)
      : timer(io), operation(op), completion(std::move(on_done)) {}
  ~PendingCall() {
    if (!done)
      deliver(CallResult{CallStatus::cancelled, "",
                         "the provider was destroyed before the call completed", std::nullopt});
  }
  PendingCall(const PendingCall&) = delete;
  PendingCall& operator=(const PendingCall&) = delete;

  // To the completion when there is one, else to the future.
  void deliver(CallResult result) noexcept {
    try {
      if (completion) {
        completion(std::move(result));
      } else {
        promise.set_value(std::move(result));
      }
    } catch (...) {
    }
  }

  std::promise<CallResult> promise;
  boost::asio::steady_timer timer;
  const char* operation;
  Completion completion;
  bool done = false;
};

Instance::Instance(std::shared_ptr<PluginHost::Core> core,
                   std::shared_ptr<const LoadedPlugin> plugin, std::string tenant,
                   std::string provider)
    : core_(std::move(core)),
      plugin_(std::move(plugin)),
      tenant_(std::move(tenant)),
      provider_name_(std::move(provider)),
      strand_(boost::asio::make_strand(core_->io)) {
  host_.struct_size = sizeof(ttb_host);
  host_.abi_major = TTB_ABI_MAJOR;
  host_.abi_minor = core_->options.abi_minor;
  host_.host_data = this;
  host_.log = &host_log;
  host_.http_send = &host_http_send;
  host_.complete = &host_complete;
  host_.now_ms = &host_now_ms;
  host_.get_extension = &host_get_extension;
}

Instance::~Instance() {
  if (instance_ != nullptr) {
    try {
      plugin_->descriptor->destroy(instance_);
    } catch (...) {
      log(LogLevel::error, host_event::kContract, "an exception escaped from destroy()");
    }
  }
}

bool Instance::create(const std::string& config_json, std::string& error) {
  char err[1024] = {};
  ttb_status status = TTB_STATUS_INTERNAL;
  try {
    status = plugin_->descriptor->create(&host_, str(config_json), &instance_, err, sizeof err);
  } catch (const std::exception& e) {
    error = std::string("an exception escaped from create(): ") + e.what();
    instance_ = nullptr;
    return false;
  } catch (...) {
    error = "an exception escaped from create()";
    instance_ = nullptr;
    return false;
  }
  err[sizeof err - 1] = '\0';
  if (status != TTB_STATUS_OK) {
    error = std::string("create() failed with ") + ttb_status_name(status) + ": " +
            (err[0] != '\0' ? err : "(no message)");
    instance_ = nullptr;
    return false;
  }
  if (instance_ == nullptr) {
    error = "create() returned OK without an instance";
    return false;
  }
  const void* iface = nullptr;
  try {
    iface = plugin_->descriptor->get_interface(instance_, TTB_PROVIDER_INTERFACE_ID);
  } catch (...) {
  }
  const auto* vt = static_cast<const ttb_provider*>(iface);
  constexpr std::size_t kProviderV10Size =
      offsetof(ttb_provider, run_action) + sizeof(vt->run_action);
  if (vt == nullptr || vt->struct_size < kProviderV10Size || vt->list_tests == nullptr ||
      vt->create_order == nullptr || vt->handle_callback == nullptr) {
    error = "the plugin does not implement " TTB_PROVIDER_INTERFACE_ID
            " (get_interface returned NULL or a table without list_tests, create_order, "
            "handle_callback)";
    return false;  // the destructor destroys the instance
  }
  provider_ = vt;
  return true;
}

decltype(ttb_provider::fetch_document) Instance::fetch_document_fn() const {
  constexpr std::size_t kProviderV11Size =
      offsetof(ttb_provider, fetch_document) + sizeof(provider_->fetch_document);
  if (plugin_->abi_minor < 1 || provider_->struct_size < kProviderV11Size) return nullptr;
  return provider_->fetch_document;
}

void Instance::log(LogLevel level, std::string event, std::string message) const {
  core_->log(level, std::move(event), tenant_, provider_name_, plugin_->id, std::move(message));
}

void Instance::on_log(ttb_log_level level, std::string_view message) {
  LogLevel l = level <= TTB_LOG_DEBUG  ? LogLevel::debug
               : level == TTB_LOG_INFO ? LogLevel::info
               : level == TTB_LOG_WARN ? LogLevel::warn
                                       : LogLevel::error;
  if (core_->logs(l)) log(l, host_event::kLog, sanitize(message));
}

std::future<CallResult> Instance::submit(const char* operation,
                                         std::function<void(ttb_plugin*, ttb_call*)> invoke,
                                         Completion done) {
  const bool wants_future = !done;
  auto call = std::make_shared<PendingCall>(core_->timers.io(), operation, std::move(done));
  std::future<CallResult> future;
  if (wants_future) future = call->promise.get_future();
  if (core_->stopping) {
    call->done = true;
    call->deliver(
        CallResult{CallStatus::cancelled, "", "the plugin host is shutting down", std::nullopt});
    return future;
  }
  const std::uint64_t id = g_next_call_id.fetch_add(1);
  {
    std::lock_guard lock(mu_);
    calls_.emplace(id, call);
    call->timer.expires_after(core_->options.call_timeout);
    call->timer.async_wait([weak = weak_from_this(), id](const boost::system::error_code& ec) {
      if (ec) return;  // cancelled: the call completed
      auto self = weak.lock();
      if (!self) return;
      const char* op = "call";
      {
        std::lock_guard lock(self->mu_);
        auto it = self->calls_.find(id);
        if (it == self->calls_.end()) return;
        op = it->second->operation;
      }
      auto ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(self->core_->options.call_timeout);
      if (self->finish(id, CallResult{CallStatus::timeout, "",
                                      std::string(op) + " did not complete within " +
                                          std::to_string(ms.count()) + " ms",
                                      std::nullopt}))
        self->log(LogLevel::warn, host_event::kCallTimeout,
                  std::string(op) + " timed out after " + std::to_string(ms.count()) + " ms");
    });
  }
  boost::asio::post(
      strand_, [self = shared_from_this(), id, operation, invoke = std::move(invoke)] {
        {
          std::lock_guard lock(self->mu_);
          if (self->calls_.find(id) == self->calls_.end()) return;  // timed out while queued
        }
        std::string escaped;
        try {
          invoke(self->instance_, token(id));
        } catch (const std::exception& e) {
          escaped = e.what();
        } catch (...) {
          escaped = "unknown exception";
        }
        if (!escaped.empty()) {
          std::string what = std::string("an exception escaped from ") + operation + ": " + escaped;
          self->log(LogLevel::error, host_event::kContract, what);
          self->finish(id, CallResult{CallStatus::internal, "", what, std::nullopt});
        }
      });
  return future;
}

bool Instance::finish(std::uint64_t id, CallResult result) {
  std::shared_ptr<PendingCall> call;
  {
    std::lock_guard lock(mu_);
    auto it = calls_.find(id);
    if (it == calls_.end()) return false;
    call = std::move(it->second);
    calls_.erase(it);
    call->timer.cancel();
    call->done = true;
  }
  call->deliver(std::move(result));
  return true;
}

void Instance::on_complete(ttb_call* call, const ttb_completion* completion) {
  constexpr std::size_t kCompletionV10Size =
      offsetof(ttb_completion, retry_after_ms) + sizeof(completion->retry_after_ms);
  const std::uint64_t id = id_of(call);
  CallResult result;
  if (completion == nullptr || completion->struct_size < kCompletionV10Size) {
    result = CallResult{CallStatus::internal, "",
                        "complete() was given no completion or one with a bad struct_size",
                        std::nullopt};
  } else if (completion->json.len > kMaxPayload) {
    result = CallResult{CallStatus::internal, "",
                        "the plugin's result payload is larger than 16 MiB", std::nullopt};
  } else {
    result.status = call_status_from_abi(completion->status);
    if (result.status == CallStatus::internal && completion->status != TTB_STATUS_INTERNAL)
      result.detail = "unknown status code " + std::to_string(completion->status) + ": ";
    result.json = std::string(view(completion->json));
    result.detail += sanitize(view(completion->detail));
    // A 429's wait, or a 503's Retry-After (the SDK's VendorTerms::unavailable_retry_after).
    const bool says_when = result.status == CallStatus::rate_limited ||
                           result.status == CallStatus::vendor_unavailable;
    if (says_when && completion->retry_after_ms > 0)
      result.retry_after = std::chrono::milliseconds(completion->retry_after_ms);
  }
  if (!finish(id, std::move(result)))
    log(LogLevel::warn, host_event::kLateCompletion,
        "ignored a completion for call " + std::to_string(id) +
            " that had already completed or timed out (completing twice is a plugin bug)");
}

ttb_status Instance::on_http_send(const ttb_http_request* request, ttb_http_callback callback,
                                  void* user_data) {
  constexpr std::size_t kRequestV10Size =
      offsetof(ttb_http_request, timeout_ms) + sizeof(request->timeout_ms);
  if (request == nullptr || callback == nullptr || request->struct_size < kRequestV10Size) {
    log(LogLevel::warn, host_event::kHttpRefused,
        "http_send without a request, a callback or a valid struct_size");
    return TTB_STATUS_INVALID;
  }
  net::ClientRequest req;
  req.method = std::string(view(request->method));
  req.url = std::string(view(request->url));
  if (req.method.empty() ||
      !(req.url.rfind("http://", 0) == 0 || req.url.rfind("https://", 0) == 0)) {
    log(LogLevel::warn, host_event::kHttpRefused,
        "http_send needs a method and an absolute http(s) URL");
    return TTB_STATUS_INVALID;
  }
  if (core_->stopping) return TTB_STATUS_CANCELLED;
  std::shared_ptr<Instance> self = weak_from_this().lock();
  if (!self) return TTB_STATUS_CANCELLED;  // being destroyed
  if (request->headers != nullptr)
    for (std::size_t i = 0; i < request->header_count; ++i)
      req.headers.emplace_back(std::string(view(request->headers[i].name)),
                               std::string(view(request->headers[i].value)));
  // Refused here, at once, so the plugin sees a malformed request (INVALID) and not a vendor
  // outage to retry; the clients refuse the same again (a child's frames are not trusted).
  std::string why = net::unsendable_method(req.method);
  if (why.empty()) why = net::unsendable_headers(req.headers);
  if (!why.empty()) {
    log(LogLevel::warn, host_event::kHttpRefused, "http_send: " + why);
    return TTB_STATUS_INVALID;
  }
  req.body = std::string(view(request->body));
  auto timeout = request->timeout_ms == 0 ? core_->options.http_default_timeout
                                          : std::chrono::milliseconds(request->timeout_ms);
  req.timeout = std::min(
      std::chrono::duration_cast<std::chrono::milliseconds>(timeout),
      std::chrono::duration_cast<std::chrono::milliseconds>(core_->options.http_max_timeout));
  req.max_response_bytes = core_->options.max_response_bytes;

  // The answer's way back to the plugin: logged, counted, and handed to its callback on the
  // instance's strand. Runs on whichever thread the client answers on.
  std::string url = core_->logs(LogLevel::debug) ? req.url : std::string();  // for the log only
  auto answered = [self, method = req.method, url = std::move(url), callback, user_data,
                   start = std::chrono::steady_clock::now()](net::ClientResponse resp) {
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    // Only the method and a redacted URL are logged: headers (Authorization, API keys) and
    // bodies never are.
    if (self->core_->logs(LogLevel::debug))
      self->log(
          LogLevel::debug, host_event::kHttp,
          method + " " + net::redact_url(url) + " -> " +
              (resp.transport_failed() ? "failed: " + resp.error : std::to_string(resp.status)) +
              " in " + std::to_string(elapsed.count()) + " ms");
    if (self->core_->options.on_http) {
      try {
        self->core_->options.on_http(HttpCallRecord{self->tenant_, self->provider_name_,
                                                    self->plugin_->id, method, resp.status,
                                                    resp.transport_failed(), elapsed});
      } catch (...) {
      }
    }
    boost::asio::post(self->strand_, [self, resp = std::move(resp), callback, user_data] {
      std::vector<ttb_header> headers;
      headers.reserve(resp.headers.size());
      for (const auto& [k, v] : resp.headers) headers.push_back(ttb_header{str(k), str(v)});
      ttb_http_response r{};
      r.struct_size = sizeof(ttb_http_response);
      r.status = resp.transport_failed() ? TTB_STATUS_VENDOR_UNAVAILABLE : TTB_STATUS_OK;
      r.http_status = resp.status;
      r.headers = headers.data();
      r.header_count = headers.size();
      r.body = str(resp.body);
      r.error = str(resp.error);
      try {
        callback(user_data, &r);
      } catch (...) {
        self->log(LogLevel::error, host_event::kContract,
                  "an exception escaped from an HTTP callback");
      }
    });
  };
  net::HttpClient& http = *core_->options.http;
  if (http.sends_async()) {
    http.send_async(std::move(req), std::move(answered));
    return TTB_STATUS_OK;
  }
  boost::asio::post(*core_->http_pool,
                    [&http, req = std::move(req), answered = std::move(answered)]() mutable {
                      ops::name_pool_thread("ttb-plugin-http");
                      net::ClientResponse resp;
                      try {
                        resp = http.send(req);
                      } catch (const std::exception& e) {
                        resp = net::ClientResponse{};
                        resp.error = e.what();
                      }
                      answered(std::move(resp));
                    });
  return TTB_STATUS_OK;
}

void Instance::cancel_all(const std::string& why) {
  std::vector<std::uint64_t> ids;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, call] : calls_) ids.push_back(id);
  }
  for (auto id : ids) finish(id, CallResult{CallStatus::cancelled, "", why, std::nullopt});
}

// --- PluginProvider -------------------------------------------------------------------------

PluginProvider::PluginProvider(std::shared_ptr<Instance> instance)
    : instance_(std::move(instance)) {}

namespace {

// How an operation's payload reaches the plugin: one C entry point taking the JSON.
using JsonEntry = void (*)(ttb_plugin*, ttb_str, ttb_call*);

}  // namespace

std::future<CallResult> PluginProvider::start(const std::string& operation, std::string payload,
                                              CallbackRequest callback, Instance::Completion done) {
  auto refuse = [&done](CallStatus status, std::string detail) {
    CallResult result{status, "", std::move(detail), std::nullopt};
    if (done) {
      done(std::move(result));
      return std::future<CallResult>{};
    }
    std::promise<CallResult> p;
    p.set_value(std::move(result));
    return p.get_future();
  };
  const ttb_provider& vt = instance_->vtable();
  if (operation == "list_tests") {
    auto fn = vt.list_tests;
    return instance_->submit(
        "list_tests", [fn](ttb_plugin* p, ttb_call* c) { fn(p, c); }, std::move(done));
  }
  if (operation == "handle_callback") {
    auto fn = vt.handle_callback;
    callback.body = std::move(payload);
    return instance_->submit(
        "handle_callback",
        [fn, req = std::move(callback)](ttb_plugin* p, ttb_call* c) {
          std::vector<ttb_header> headers;
          headers.reserve(req.headers.size());
          for (const auto& [k, v] : req.headers) headers.push_back(ttb_header{str(k), str(v)});
          ttb_callback_request r{};
          r.struct_size = sizeof(ttb_callback_request);
          r.method = str(req.method);
          r.path = str(req.path);
          r.headers = headers.data();
          r.header_count = headers.size();
          r.body = str(req.body);
          r.order_json = str(req.order_json);
          fn(p, &r, c);
        },
        std::move(done));
  }
  const char* name = nullptr;
  JsonEntry fn = nullptr;
  if (operation == "create_order") {
    name = "create_order";
    fn = vt.create_order;
  } else if (operation == "fetch_order") {
    name = "fetch_order";
    fn = vt.fetch_order;
  } else if (operation == "cancel_order") {
    name = "cancel_order";
    fn = vt.cancel_order;
  } else if (operation == "run_action") {
    name = "run_action";
    fn = vt.run_action;
  } else if (operation == "fetch_document") {
    name = "fetch_document";
    fn = instance_->fetch_document_fn();
  } else {
    std::string detail = "unknown operation ";
    detail += operation;
    return refuse(CallStatus::internal, std::move(detail));
  }
  if (fn == nullptr) {
    std::string detail = "plugin ";
    detail += plugin_name();
    detail += " has no ";
    detail += name;
    return refuse(CallStatus::unsupported, std::move(detail));
  }
  return instance_->submit(
      name, [fn, json = std::move(payload)](ttb_plugin* p, ttb_call* c) { fn(p, str(json), c); },
      std::move(done));
}

void PluginProvider::call(const std::string& operation, std::string payload,
                          CallbackRequest callback, Instance::Completion done) {
  start(operation, std::move(payload), std::move(callback), std::move(done));
}

std::future<CallResult> PluginProvider::list_tests() {
  return start("list_tests", {}, {}, {});
}
std::future<CallResult> PluginProvider::create_order(std::string order_request) {
  return start("create_order", std::move(order_request), {}, {});
}
std::future<CallResult> PluginProvider::fetch_order(std::string order_context) {
  return start("fetch_order", std::move(order_context), {}, {});
}
std::future<CallResult> PluginProvider::cancel_order(std::string order_context) {
  return start("cancel_order", std::move(order_context), {}, {});
}
std::future<CallResult> PluginProvider::run_action(std::string action_request) {
  return start("run_action", std::move(action_request), {}, {});
}
std::future<CallResult> PluginProvider::fetch_document(std::string document_request) {
  return start("fetch_document", std::move(document_request), {}, {});
}
std::future<CallResult> PluginProvider::handle_callback(CallbackRequest request) {
  std::string body = std::move(request.body);
  return start("handle_callback", std::move(body), std::move(request), {});
}

}  // namespace ttb::plugins
