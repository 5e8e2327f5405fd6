#pragma once
// The engine's Provider for a plugin instance that lives in a ttb-plugin-host child: each call
// becomes a frame to the child and its future completes from the answer (or from the
// supervisor: timeout, crashed, quarantined). See docs/plugin-isolation.md.

#include <memory>
#include <string>
#include <vector>

#include "plugins/isolation/plugin_process.h"
#include "plugins/provider.h"

namespace ttb::plugins::isolation {

class RemoteProvider final : public Provider {
 public:
  RemoteProvider(std::shared_ptr<PluginProcess> process, std::uint64_t instance, InstanceInfo info,
                 std::string tenant, std::string name);
  ~RemoteProvider() override;  // destroys the instance in the child
  RemoteProvider(const RemoteProvider&) = delete;
  RemoteProvider& operator=(const RemoteProvider&) = delete;

  const std::string& tenant() const override { return tenant_; }
  const std::string& name() const override { return name_; }
  const std::string& plugin_name() const override { return info_.plugin_id; }
  const std::string& plugin_version() const override { return info_.plugin_version; }
  bool supports_fetch_order() const override { return info_.fetch_order; }
  bool supports_cancel_order() const override { return info_.cancel_order; }
  bool supports_run_action() const override { return info_.run_action; }
  const std::vector<std::string>& declared_actions() const override { return info_.actions; }
  bool supports_fetch_document() const override { return info_.fetch_document; }
  std::string unavailable_reason() const override;
  void retry_start() override;

  std::future<CallResult> list_tests() override;
  std::future<CallResult> create_order(std::string order_request) override;
  std::future<CallResult> fetch_order(std::string order_context) override;
  std::future<CallResult> cancel_order(std::string order_context) override;
  std::future<CallResult> run_action(std::string action_request) override;
  std::future<CallResult> handle_callback(CallbackRequest request) override;
  std::future<CallResult> fetch_document(std::string document_request) override;

  const PluginProcess& process() const { return *process_; }

 private:
  std::future<CallResult> send(const char* operation, std::string payload, bool supported);

  std::shared_ptr<PluginProcess> process_;
  std::uint64_t instance_;
  InstanceInfo info_;
  std::string tenant_;
  std::string name_;
};

}  // namespace ttb::plugins::isolation
