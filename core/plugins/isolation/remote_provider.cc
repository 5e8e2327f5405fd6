// RemoteProvider: calls as frames; see remote_provider.h.

#include "plugins/isolation/remote_provider.h"

namespace ttb::plugins::isolation {

RemoteProvider::RemoteProvider(std::shared_ptr<PluginProcess> process, std::uint64_t instance,
                               InstanceInfo info, std::string tenant, std::string name)
    : process_(std::move(process)),
      instance_(instance),
      info_(std::move(info)),
      tenant_(std::move(tenant)),
      name_(std::move(name)) {}

RemoteProvider::~RemoteProvider() {
  process_->destroy_instance(instance_);
}

std::future<CallResult> RemoteProvider::send(const char* operation, std::string payload,
                                             bool supported) {
  if (!supported) {
    std::promise<CallResult> p;
    p.set_value(CallResult{CallStatus::unsupported, "",
                           "plugin " + info_.plugin_id + " has no " + operation, std::nullopt});
    return p.get_future();
  }
  CallRequest request;
  request.instance = instance_;
  request.operation = operation;
  request.payload = std::move(payload);
  return process_->call(std::move(request), operation);
}

std::string RemoteProvider::unavailable_reason() const {
  if (process_->quarantined()) {
    return "Its plugin kept crashing and is stopped until the ttbridge operator reloads it; the "
           "operator has been alerted.";
  }
  if (process_->lost(instance_)) {
    return "Its plugin restarted and could not start it again; it waits until the ttbridge "
           "operator reloads it, and the operator has been alerted.";
  }
  return {};
}

void RemoteProvider::retry_start() {
  process_->retry_lost(instance_);
}

std::future<CallResult> RemoteProvider::list_tests() {
  return send("list_tests", "", true);
}
std::future<CallResult> RemoteProvider::create_order(std::string order_request) {
  return send("create_order", std::move(order_request), true);
}
std::future<CallResult> RemoteProvider::fetch_order(std::string order_context) {
  return send("fetch_order", std::move(order_context), info_.fetch_order);
}
std::future<CallResult> RemoteProvider::cancel_order(std::string order_context) {
  return send("cancel_order", std::move(order_context), info_.cancel_order);
}
std::future<CallResult> RemoteProvider::run_action(std::string action_request) {
  return send("run_action", std::move(action_request), info_.run_action);
}
std::future<CallResult> RemoteProvider::fetch_document(std::string document_request) {
  return send("fetch_document", std::move(document_request), info_.fetch_document);
}

std::future<CallResult> RemoteProvider::handle_callback(CallbackRequest request) {
  CallRequest call;
  call.instance = instance_;
  call.operation = "handle_callback";
  call.payload = std::move(request.body);
  call.callback = std::move(request);
  return process_->call(std::move(call), "handle_callback");
}

}  // namespace ttb::plugins::isolation
