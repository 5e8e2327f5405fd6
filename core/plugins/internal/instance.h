#pragma once
// Internal: one plugin instance serving one provider of one tenant. Owns the plugin's
// ttb_plugin*, the host table handed to it, the strand its calls run on and the table of calls
// still pending. PluginProvider (the engine's Provider) is a thin handle on it.

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "plugins/internal/host_core.h"
#include "plugins/internal/loader.h"
#include "plugins/provider.h"
#include "ttbridge/plugin.h"

namespace ttb::plugins {

class Instance : public std::enable_shared_from_this<Instance> {
 public:
  Instance(std::shared_ptr<PluginHost::Core> core, std::shared_ptr<const LoadedPlugin> plugin,
           std::string tenant, std::string provider);
  ~Instance();  // calls the plugin's destroy()
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  // Runs the plugin's create(); on failure returns false with `error` set.
  bool create(const std::string& config_json, std::string& error);

  // Where a call's result goes when the caller wants no future: run once, on the thread that
  // ends the call (the plugin's complete(), the deadline's timer, or shutdown).
  using Completion = std::function<void(CallResult)>;

  // Registers a call with a deadline, then runs `invoke(plugin, call)` on the strand. The result
  // goes to `done` when it is set (the returned future is then invalid), else to the future.
  std::future<CallResult> submit(const char* operation,
                                 std::function<void(ttb_plugin*, ttb_call*)> invoke,
                                 Completion done = {});

  // Ends every pending call with `cancelled` (host shutdown).
  void cancel_all(const std::string& why);

  const ttb_provider& vtable() const { return *provider_; }
  // The plugin's fetch_document, or null for a 1.0 plugin or table (1.1 members are absent).
  decltype(ttb_provider::fetch_document) fetch_document_fn() const;
  const LoadedPlugin& plugin() const { return *plugin_; }
  const std::string& tenant() const { return tenant_; }
  const std::string& provider_name() const { return provider_name_; }

  // Host services, entered from the C table (host_data points at this instance).
  void on_log(ttb_log_level level, std::string_view message);
  ttb_status on_http_send(const ttb_http_request* request, ttb_http_callback callback,
                          void* user_data);
  void on_complete(ttb_call* call, const ttb_completion* completion);
  std::int64_t now_ms() const { return core_->now_ms(); }

 private:
  struct PendingCall;

  // Ends call `id` with `result`; false when it already ended (late or duplicate).
  bool finish(std::uint64_t id, CallResult result);
  void log(LogLevel level, std::string event, std::string message) const;

  std::shared_ptr<PluginHost::Core> core_;
  std::shared_ptr<const LoadedPlugin> plugin_;
  std::string tenant_;
  std::string provider_name_;
  ttb_host host_{};
  ttb_plugin* instance_ = nullptr;
  const ttb_provider* provider_ = nullptr;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;

  std::mutex mu_;
  std::unordered_map<std::uint64_t, std::shared_ptr<PendingCall>> calls_;
};

// The engine-facing Provider over an Instance.
class PluginProvider final : public Provider {
 public:
  explicit PluginProvider(std::shared_ptr<Instance> instance);

  const std::string& tenant() const override { return instance_->tenant(); }
  const std::string& name() const override { return instance_->provider_name(); }
  const std::string& plugin_name() const override { return instance_->plugin().id; }
  const std::string& plugin_version() const override { return instance_->plugin().version; }
  bool supports_fetch_order() const override { return instance_->vtable().fetch_order != nullptr; }
  bool supports_cancel_order() const override {
    return instance_->vtable().cancel_order != nullptr;
  }
  bool supports_run_action() const override { return instance_->vtable().run_action != nullptr; }
  const std::vector<std::string>& declared_actions() const override {
    return instance_->plugin().actions;
  }
  bool supports_fetch_document() const override {
    return instance_->fetch_document_fn() != nullptr;
  }
  bool runs_in_daemon_process() const override { return true; }

  std::future<CallResult> list_tests() override;
  std::future<CallResult> create_order(std::string order_request) override;
  std::future<CallResult> fetch_order(std::string order_context) override;
  std::future<CallResult> cancel_order(std::string order_context) override;
  std::future<CallResult> run_action(std::string action_request) override;
  std::future<CallResult> handle_callback(CallbackRequest request) override;
  std::future<CallResult> fetch_document(std::string document_request) override;

  // Any of the calls above by its operation name ("list_tests", ..., "handle_callback", whose
  // body is `payload`), with `done` instead of a future: for ttb-plugin-host, which forwards each
  // result as a frame without a thread waiting on a future. An unknown or unsupported operation
  // is answered at once, on the calling thread.
  void call(const std::string& operation, std::string payload, CallbackRequest callback,
            Instance::Completion done);

 private:
  std::future<CallResult> start(const std::string& operation, std::string payload,
                                CallbackRequest callback, Instance::Completion done);

  std::shared_ptr<Instance> instance_;
};

}  // namespace ttb::plugins
