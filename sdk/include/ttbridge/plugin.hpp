// Header-only C++17 helper over the C ABI of plugin.h: derive from ttb::sdk::Provider, implement
// its virtual functions, and export it with TTB_PLUGIN(Class, "id", "Name", "1.0.0"). The
// trampolines here are noexcept and catch every exception, so none ever crosses into the host.
// The guide (docs/plugin-guide.md) and the ABI reference (docs/plugin-abi.md) are installed in
// /usr/share/doc/ttbridge-sdk-dev/ by the package, in <prefix>/share/doc/ttbridge-sdk-dev/ by
// `cmake --install`.
#ifndef TTBRIDGE_PLUGIN_HPP
#define TTBRIDGE_PLUGIN_HPP

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "ttbridge/plugin.h"

namespace ttb::sdk {

inline ttb_str to_str(std::string_view s) noexcept {
  return ttb_str{s.data(), s.size()};
}
inline std::string_view to_view(ttb_str s) noexcept {
  return s.ptr == nullptr ? std::string_view{} : std::string_view{s.ptr, s.len};
}

// Throw this from any plugin function to finish the call (or create) with a specific status,
// e.g. `throw ttb::sdk::Error(TTB_STATUS_INVALID, "order request is not JSON")`. Any other
// exception becomes TTB_STATUS_INTERNAL with its what() as the detail.
class Error : public std::exception {
 public:
  Error(ttb_status status, std::string detail, std::uint32_t retry_after_ms = 0)
      : status_(status), detail_(std::move(detail)), retry_after_ms_(retry_after_ms) {}
  const char* what() const noexcept override { return detail_.c_str(); }
  ttb_status status() const noexcept { return status_; }
  std::uint32_t retry_after_ms() const noexcept { return retry_after_ms_; }

 private:
  ttb_status status_;
  std::string detail_;
  std::uint32_t retry_after_ms_;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

inline bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

inline std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return std::nullopt;
}

inline Headers copy_headers(const ttb_header* headers, std::size_t count) {
  Headers out;
  if (headers == nullptr) return out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    out.emplace_back(std::string(to_view(headers[i].name)), std::string(to_view(headers[i].value)));
  return out;
}

// One asynchronous call. Copies share the call; the first ok()/fail() completes it and later
// ones are ignored, so the host sees exactly one completion. When the last copy is dropped
// without completing, the call completes with INTERNAL ("dropped"), so a forgotten path shows up
// as a clear error instead of a timeout. Thread-safe: complete from any thread.
class Call {
 public:
  Call(const ttb_host* host, ttb_call* call) : state_(std::make_shared<State>(host, call)) {}

  void ok(std::string_view json) const { finish(TTB_STATUS_OK, json, {}, 0); }
  void fail(ttb_status status, std::string_view detail, std::uint32_t retry_after_ms = 0) const {
    finish(status, {}, detail, retry_after_ms);
  }
  // True once ok() or fail() ran on any copy.
  bool done() const noexcept { return state_->done.load(); }

 private:
  struct State {
    State(const ttb_host* h, ttb_call* c) : host(h), call(c) {}
    ~State() {
      if (!done.exchange(true))
        send(TTB_STATUS_INTERNAL, {}, "plugin dropped the call without completing it", 0);
    }
    void send(ttb_status status, std::string_view json, std::string_view detail,
              std::uint32_t retry_after_ms) const noexcept {
      ttb_completion c{};
      c.struct_size = sizeof(ttb_completion);
      c.status = status;
      c.json = to_str(json);
      c.detail = to_str(detail);
      c.retry_after_ms = retry_after_ms;
      host->complete(host, call, &c);
    }
    const ttb_host* host;
    ttb_call* call;
    std::atomic<bool> done{false};
  };

  void finish(ttb_status status, std::string_view json, std::string_view detail,
              std::uint32_t retry_after_ms) const noexcept {
    if (!state_->done.exchange(true)) state_->send(status, json, detail, retry_after_ms);
  }

  std::shared_ptr<State> state_;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  std::uint32_t timeout_ms = 0;  // 0: the host's default
};

struct HttpResponse {
  ttb_status status = TTB_STATUS_VENDOR_UNAVAILABLE;  // OK when any HTTP answer arrived
  int http_status = 0;
  Headers headers;
  std::string body;
  std::string error;

  std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

// Maps a vendor's HTTP answer to the ABI's statuses, the way most REST vendors need it:
// 2xx OK; 401/403 AUTH; 404 NOT_FOUND; 429 RATE_LIMITED; 5xx and transport failures
// VENDOR_UNAVAILABLE; other codes INVALID.
inline ttb_status status_for_http(const HttpResponse& r) noexcept {
  if (r.status != TTB_STATUS_OK) return r.status;
  if (r.http_status >= 200 && r.http_status < 300) return TTB_STATUS_OK;
  if (r.http_status == 401 || r.http_status == 403) return TTB_STATUS_AUTH;
  if (r.http_status == 404) return TTB_STATUS_NOT_FOUND;
  if (r.http_status == 429) return TTB_STATUS_RATE_LIMITED;
  if (r.http_status >= 500) return TTB_STATUS_VENDOR_UNAVAILABLE;
  return TTB_STATUS_INVALID;
}

// Retry-After in seconds (the common form) as milliseconds; 0 when absent or not a number. A wait
// longer than uint32_t holds (about 49 days) gives the largest value, never a wrapped small one.
inline std::uint32_t retry_after_ms(const HttpResponse& r) {
  auto v = r.header("Retry-After");
  if (!v || v->empty() || v->size() > 9) return 0;
  std::uint64_t s = 0;
  for (char c : *v) {
    if (c < '0' || c > '9') return 0;
    s = s * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(s * 1000, UINT32_MAX));
}

// Compares two secrets (signatures, tokens) in time that depends only on their lengths, never on
// where they differ, so an attacker cannot find a valid signature or token byte by byte from
// timings. Compare the expected value with what the request carries:
//   if (!ttb::sdk::constant_time_equals(*given, expected)) ... refuse ...
inline bool constant_time_equals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]);
  return diff == 0;
}

namespace detail {

// Appends `s` as a JSON string literal. Escapes what JSON requires (quote, backslash, control
// characters); other bytes pass through, so `s` should be UTF-8.
inline void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0x0f];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace detail

// The result of handle_callback (docs/plugin-abi.md, "handle_callback ← raw request, → callback
// result"): the HTTP reply the host gives the vendor, the vendor's event id and the order
// updates, as the JSON text Call::ok() takes. No JSON library needed:
//   call.ok(CallbackReply(401).json_body(R"({"error":"invalid signature"})").to_json());
//   call.ok(CallbackReply(200).event_id(event_id).update(update_json).to_json());
class CallbackReply {
 public:
  explicit CallbackReply(int http_status = 200) : status_(http_status) {}

  // Adds one reply header.
  CallbackReply& header(std::string_view name, std::string_view value) {
    headers_.emplace_back(std::string(name), std::string(value));
    return *this;
  }
  // The reply body, as text (UTF-8).
  CallbackReply& body(std::string_view text) {
    body_ = std::string(text);
    return *this;
  }
  // A JSON reply body, sent with Content-Type: application/json.
  CallbackReply& json_body(std::string_view json) {
    header("Content-Type", "application/json");
    return body(json);
  }
  // The vendor's id of this delivery: the host drops a later delivery with the same id. Leave it
  // empty when the delivery was refused or not processed, so that the vendor's retry gets through.
  CallbackReply& event_id(std::string_view id) {
    event_id_ = std::string(id);
    return *this;
  }
  // Adds one order update: a JSON object as text (docs/plugin-abi.md, "order update"), copied
  // into the result as it is.
  CallbackReply& update(std::string_view update_json) {
    updates_.emplace_back(update_json);
    return *this;
  }

  // {"reply":{"status":…,"headers":[[name,value],…],"body":"…"},"event_id":"…","updates":[…]};
  // event_id only when set.
  std::string to_json() const {
    std::string out = "{\"reply\":{\"status\":" + std::to_string(status_) + ",\"headers\":[";
    for (std::size_t i = 0; i < headers_.size(); ++i) {
      out += i == 0 ? "[" : ",[";
      detail::append_json_string(out, headers_[i].first);
      out += ',';
      detail::append_json_string(out, headers_[i].second);
      out += ']';
    }
    out += "],\"body\":";
    detail::append_json_string(out, body_);
    out += '}';
    if (!event_id_.empty()) {
      out += ",\"event_id\":";
      detail::append_json_string(out, event_id_);
    }
    out += ",\"updates\":[";
    for (std::size_t i = 0; i < updates_.size(); ++i) {
      if (i > 0) out += ',';
      out += updates_[i];
    }
    out += "]}";
    return out;
  }

 private:
  int status_;
  Headers headers_;
  std::string body_;
  std::string event_id_;
  std::vector<std::string> updates_;
};

// The host services of one instance.
class Host {
 public:
  explicit Host(const ttb_host* host) noexcept : host_(host) {}
  const ttb_host* raw() const noexcept { return host_; }

  void log(ttb_log_level level, std::string_view message) const noexcept {
    host_->log(host_, level, to_str(message));
  }
  std::int64_t now_ms() const noexcept { return host_->now_ms(host_); }
  const void* extension(const char* id) const noexcept { return host_->get_extension(host_, id); }

  // Sends `request` through the host; `on_reply(response, call)` runs later on the instance's
  // strand. If the host refuses the request, `call` fails with the host's status instead. If
  // `on_reply` throws, `call` fails with that error (see Error), so the call still completes.
  void http(const HttpRequest& request, Call call,
            std::function<void(HttpResponse, Call)> on_reply) const {
    std::vector<ttb_header> headers;
    headers.reserve(request.headers.size());
    for (const auto& [k, v] : request.headers) headers.push_back(ttb_header{to_str(k), to_str(v)});
    ttb_http_request r{};
    r.struct_size = sizeof(ttb_http_request);
    r.method = to_str(request.method);
    r.url = to_str(request.url);
    r.headers = headers.data();
    r.header_count = headers.size();
    r.body = to_str(request.body);
    r.timeout_ms = request.timeout_ms;
    auto* pending = new Pending{std::move(call), std::move(on_reply), host_};
    ttb_status st = host_->http_send(host_, &r, &Host::on_http, pending);
    if (st != TTB_STATUS_OK) {  // the host will not call on_http: the call is still ours
      pending->call.fail(st, "the host refused the HTTP request");
      delete pending;
    }
  }

 private:
  struct Pending {
    Call call;
    std::function<void(HttpResponse, Call)> on_reply;
    const ttb_host* host;
  };

  static void on_http(void* user_data, const ttb_http_response* response) noexcept {
    std::unique_ptr<Pending> p(static_cast<Pending*>(user_data));
    try {
      HttpResponse out;
      out.status = response->status;
      out.http_status = response->http_status;
      out.headers = copy_headers(response->headers, response->header_count);
      out.body = std::string(to_view(response->body));
      out.error = std::string(to_view(response->error));
      p->on_reply(std::move(out), p->call);
    } catch (const Error& e) {
      p->call.fail(e.status(), e.what(), e.retry_after_ms());
    } catch (const std::exception& e) {
      p->call.fail(TTB_STATUS_INTERNAL, e.what());
    } catch (...) {
      p->call.fail(TTB_STATUS_INTERNAL, "unknown exception in HTTP callback");
    }
  }

  const ttb_host* host_;
};

// A vendor callback, copied out of the C struct.
struct CallbackRequest {
  std::string method;
  std::string path;
  Headers headers;
  std::string body;
  std::string order_json;  // "" when the path named no order

  std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

// Base class of a C++ provider. The derived class needs a constructor
// `Derived(ttb::sdk::Host host, std::string_view config_json)` (throw Error(TTB_STATUS_INVALID,
// "...") for a bad config) and implements the three mandatory functions. The optional ones are
// exported to the host only when overridden, by the derived class or by a base between it and
// Provider; Provider's defaults are never exported.
// ABI 1.1 descriptor members come from static functions of the derived class, each optional:
//   static const char* config_schema() noexcept;   // JSON text of the config schema
//   static const char* sample_config() noexcept;   // JSON text of a config create() accepts
//   static const char* const* actions() noexcept;  // {"resend_invitation", nullptr}
// Each must return static storage (string literals), as the descriptor lives forever.
// Every function runs on the instance's strand; complete `call` exactly once (Call helps).
// The destructor runs when the host destroys the instance (plugin.h, destroy) and must not throw:
// destructors are implicitly noexcept, so an exception leaving one calls std::terminate, which no
// trampoline can catch, and ends the process the plugin runs in.
class Provider {
 public:
  explicit Provider(Host host) noexcept : host_(host) {}
  virtual ~Provider() = default;
  Provider(const Provider&) = delete;
  Provider& operator=(const Provider&) = delete;

  virtual void list_tests(Call call) = 0;
  virtual void create_order(std::string_view request_json, Call call) = 0;
  virtual void handle_callback(const CallbackRequest& request, Call call) = 0;
  // The defaults below take `call` by value because every override must: a provider may keep its
  // call past the return. So performance-unnecessary-value-param is wrong for them.
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  virtual void fetch_order(std::string_view order_json, Call call) {
    (void)order_json;
    call.fail(TTB_STATUS_UNSUPPORTED, "fetch_order is not supported");
  }
  // NOLINTNEXTLINE(performance-unnecessary-value-param): by value like every override
  virtual void cancel_order(std::string_view order_json, Call call) {
    (void)order_json;
    call.fail(TTB_STATUS_UNSUPPORTED, "cancel_order is not supported");
  }
  // NOLINTNEXTLINE(performance-unnecessary-value-param): by value like every override
  virtual void run_action(std::string_view action_json, Call call) {
    (void)action_json;
    call.fail(TTB_STATUS_UNSUPPORTED, "run_action is not supported");
  }
  // ABI 1.1: a fresh link to, or the bytes of, an order's document (plugin.h, fetch_document).
  // NOLINTNEXTLINE(performance-unnecessary-value-param): by value like every override
  virtual void fetch_document(std::string_view request_json, Call call) {
    (void)request_json;
    call.fail(TTB_STATUS_UNSUPPORTED, "fetch_document is not supported");
  }

  const Host& host() const noexcept { return host_; }
  void log(ttb_log_level level, std::string_view message) const noexcept {
    host_.log(level, message);
  }

 private:
  Host host_;
};

namespace detail {

inline void write_error(char* err, std::size_t cap, std::string_view message) noexcept {
  if (err == nullptr || cap == 0) return;
  std::size_t n = message.size() < cap - 1 ? message.size() : cap - 1;
  if (n > 0) std::memcpy(err, message.data(), n);
  err[n] = '\0';
}

// Runs `fn(call)`; any exception completes the call (if it is not done yet) with a status.
template <class Fn>
void guarded(const ttb_host* host, ttb_call* raw, Fn&& fn) noexcept {
  std::optional<Call> call;
  try {
    call.emplace(host, raw);
    fn(*call);
  } catch (const Error& e) {
    if (call) call->fail(e.status(), e.what(), e.retry_after_ms());
  } catch (const std::exception& e) {
    if (call) call->fail(TTB_STATUS_INTERNAL, e.what());
  } catch (...) {
    if (call) call->fail(TTB_STATUS_INTERNAL, "unknown exception");
  }
  if (!call) {  // allocation of the call state failed: complete directly
    ttb_completion c{};
    c.struct_size = sizeof(ttb_completion);
    c.status = TTB_STATUS_INTERNAL;
    c.detail = to_str("out of memory");
    host->complete(host, raw, &c);
  }
}

// The instance behind a ttb_plugin*: the provider plus its host table.
struct Instance {
  const ttb_host* host;
  std::unique_ptr<Provider> provider;
};

inline Instance* instance(ttb_plugin* p) noexcept {
  return reinterpret_cast<Instance*>(p);
}

template <class P>
struct Trampolines {
  static_assert(std::is_base_of_v<Provider, P>,
                "TTB_PLUGIN needs a class derived from ttb::sdk::Provider");

  static ttb_status create(const ttb_host* host, ttb_str config, ttb_plugin** out, char* err,
                           std::size_t cap) noexcept {
    try {
      if (host == nullptr || out == nullptr) {
        write_error(err, cap, "create: host and out_instance are required");
        return TTB_STATUS_INVALID;
      }
      auto inst = std::make_unique<Instance>();
      inst->host = host;
      inst->provider = std::make_unique<P>(Host(host), to_view(config));
      *out = reinterpret_cast<ttb_plugin*>(inst.release());
      return TTB_STATUS_OK;
    } catch (const Error& e) {
      write_error(err, cap, e.what());
      return e.status() == TTB_STATUS_OK ? TTB_STATUS_INTERNAL : e.status();
    } catch (const std::exception& e) {
      write_error(err, cap, e.what());
      return TTB_STATUS_INTERNAL;
    } catch (...) {
      write_error(err, cap, "unknown exception in create");
      return TTB_STATUS_INTERNAL;
    }
  }

  // No try/catch, as it could never catch anything: the provider's destructor is noexcept
  // (Provider's is, and an override cannot loosen it), so an exception leaving it calls
  // std::terminate before any handler here runs. Hence the rule in Provider's comment.
  static void destroy(ttb_plugin* p) noexcept { delete instance(p); }

  static void list_tests(ttb_plugin* p, ttb_call* c) noexcept {
    auto* i = instance(p);
    guarded(i->host, c, [&](Call call) { i->provider->list_tests(std::move(call)); });
  }
  static void create_order(ttb_plugin* p, ttb_str json, ttb_call* c) noexcept {
    auto* i = instance(p);
    guarded(i->host, c,
            [&](Call call) { i->provider->create_order(to_view(json), std::move(call)); });
  }
  static void handle_callback(ttb_plugin* p, const ttb_callback_request* r, ttb_call* c) noexcept {
    auto* i = instance(p);
    guarded(i->host, c, [&](Call call) {
      if (r == nullptr) throw Error(TTB_STATUS_INVALID, "no callback request");
      CallbackRequest req;
      req.method = std::string(to_view(r->method));
      req.path = std::string(to_view(r->path));
      req.headers = copy_headers(r->headers, r->header_count);
      req.body = std::string(to_view(r->body));
      req.order_json = std::string(to_view(r->order_json));
      i->provider->handle_callback(req, std::move(call));
    });
  }
  static void fetch_order(ttb_plugin* p, ttb_str json, ttb_call* c) noexcept {
    auto* i = instance(p);
    guarded(i->host, c,
            [&](Call call) { i->provider->fetch_order(to_view(json), std::move(call)); });
  }
  static void cancel_order(ttb_plugin* p, ttb_str json, ttb_call* c) noexcept {
    auto* i = instance(p);
    guarded(i->host, c,
            [&](Call call) { i->provider->cancel_order(to_view(json), std::move(call)); });
  }
  static void run_action(ttb_plugin* p, ttb_str json, ttb_call* c) noexcept {
    auto* i = instance(p);
    guarded(i->host, c,
            [&](Call call) { i->provider->run_action(to_view(json), std::move(call)); });
  }
  static void fetch_document(ttb_plugin* p, ttb_str json, ttb_call* c) noexcept {
    auto* i = instance(p);
    guarded(i->host, c,
            [&](Call call) { i->provider->fetch_document(to_view(json), std::move(call)); });
  }

  // An optional function is offered when P or any base between P and Provider overrides it:
  // &P::fn then names that class's member, whose type differs from Provider's. Only Provider's
  // own default (type void (Provider::*)(std::string_view, Call)) counts as not overridden.
  template <class M>
  static constexpr bool overridden(M) noexcept {
    return !std::is_same_v<M, void (Provider::*)(std::string_view, Call)>;
  }

  static const ttb_provider* provider_table() noexcept {
    static const ttb_provider table = {
        sizeof(ttb_provider),
        &list_tests,
        &create_order,
        &handle_callback,
        overridden(&P::fetch_order) ? &fetch_order : nullptr,
        overridden(&P::cancel_order) ? &cancel_order : nullptr,
        overridden(&P::run_action) ? &run_action : nullptr,
        overridden(&P::fetch_document) ? &fetch_document : nullptr,
    };
    return &table;
  }

  static const void* get_interface(ttb_plugin* p, const char* id) noexcept {
    (void)p;
    if (id != nullptr && std::strcmp(id, TTB_PROVIDER_INTERFACE_ID) == 0) return provider_table();
    return nullptr;
  }
};

// Detects the optional static descriptor functions of a provider class (see Provider).
template <class P, class = void>
struct has_config_schema : std::false_type {};
template <class P>
struct has_config_schema<P, std::void_t<decltype(P::config_schema())>> : std::true_type {};
template <class P, class = void>
struct has_sample_config : std::false_type {};
template <class P>
struct has_sample_config<P, std::void_t<decltype(P::sample_config())>> : std::true_type {};
template <class P, class = void>
struct has_actions : std::false_type {};
template <class P>
struct has_actions<P, std::void_t<decltype(P::actions())>> : std::true_type {};

template <class P>
const char* config_schema_of() noexcept {
  if constexpr (has_config_schema<P>::value) {
    return P::config_schema();
  } else {
    return nullptr;
  }
}
template <class P>
const char* sample_config_of() noexcept {
  if constexpr (has_sample_config<P>::value) {
    return P::sample_config();
  } else {
    return nullptr;
  }
}
template <class P>
const char* const* actions_of() noexcept {
  if constexpr (has_actions<P>::value) {
    return P::actions();
  } else {
    return nullptr;
  }
}

template <class P>
const ttb_plugin_descriptor* entry(std::uint16_t host_major, std::uint16_t host_minor,
                                   const char* id, const char* name, const char* version) noexcept {
  (void)host_minor;  // needs nothing newer from the host; a 1.0 host ignores the 1.1 members
  static const ttb_plugin_descriptor descriptor = {
      sizeof(ttb_plugin_descriptor),
      TTB_ABI_MAJOR,
      TTB_ABI_MINOR,
      id,
      name,
      version,
      &Trampolines<P>::create,
      &Trampolines<P>::destroy,
      &Trampolines<P>::get_interface,
      config_schema_of<P>(),
      sample_config_of<P>(),
      actions_of<P>(),
  };
  if (host_major != TTB_ABI_MAJOR && host_major != TTB_ABI_PROBE_MAJOR) return nullptr;
  return &descriptor;
}

}  // namespace detail
}  // namespace ttb::sdk

// Exports the plugin entry for provider class `cls`. Use once per plugin, at namespace scope:
//   TTB_PLUGIN(AcmeProvider, "acme", "Acme Tests", "1.0.0")
#define TTB_PLUGIN(cls, id, name, version)                                                    \
  extern "C" TTB_PLUGIN_EXPORT const ttb_plugin_descriptor* ttb_plugin_entry(                 \
      std::uint16_t host_abi_major, std::uint16_t host_abi_minor) {                           \
    return ::ttb::sdk::detail::entry<cls>(host_abi_major, host_abi_minor, id, name, version); \
  }

#endif  // TTBRIDGE_PLUGIN_HPP
