// ttb-plugin-host's loop: frames in on one reader thread, creates/calls/destroys applied in order
// on one worker thread, each call's answer sent by a waiter thread when its future completes.
// See child_server.h and docs/plugin-isolation.md.

#include "plugins/isolation/child_server.h"

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "net/http_client.h"
#include "plugins/internal/plugin_host.h"
#include "plugins/isolation/channel.h"
#include "plugins/isolation/messages.h"

namespace ttb::plugins::isolation {
namespace {

// Requests the child makes of the daemon (HTTP, clock): a frame out, a blocking wait for the
// answer with the same id.
class DaemonLink {
 public:
  explicit DaemonLink(FrameChannel& channel) : channel_(channel) {}

  std::optional<Frame> ask(Frame frame) {
    std::future<Frame> answer;
    {
      std::lock_guard lock(mu_);
      frame.id = next_id_++;
      answer = waiting_[frame.id].get_future();
    }
    const std::uint64_t id = frame.id;
    if (!channel_.send(frame)) {
      std::lock_guard lock(mu_);
      waiting_.erase(id);
      return std::nullopt;
    }
    return answer.get();  // the daemon answers every request, or kills this process
  }

  void answered(Frame frame) {
    std::promise<Frame> promise;
    {
      std::lock_guard lock(mu_);
      auto it = waiting_.find(frame.id);
      if (it == waiting_.end()) return;
      promise = std::move(it->second);
      waiting_.erase(it);
    }
    promise.set_value(std::move(frame));
  }

  void send(const Frame& frame) { channel_.send(frame); }

 private:
  FrameChannel& channel_;
  std::mutex mu_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::promise<Frame>> waiting_;
};

// The plugins' HttpClient: every request is made by the daemon's client.
class DaemonHttpClient final : public net::HttpClient {
 public:
  explicit DaemonHttpClient(DaemonLink& link) : link_(link) {}
  net::ClientResponse send(const net::ClientRequest& request) override {
    auto answer = link_.ask(to_frame(0, HttpRequest{"", "", "", request}));
    if (!answer) {
      net::ClientResponse failed;
      failed.error = "the daemon is gone";
      return failed;
    }
    return http_response_of(*answer);
  }

 private:
  DaemonLink& link_;
};

class ChildServer {
 public:
  explicit ChildServer(const ChildSettings& settings)
      : channel_(settings.fd), link_(channel_), host_(options(settings)) {}

  int run() {
    std::thread worker([this] { work(); });
    worker.detach();  // the process ends with _Exit below; plugins may hold it forever
    while (auto frame = channel_.receive()) {
      switch (frame->kind) {
        case FrameKind::http_result:
        case FrameKind::clock_result:
          link_.answered(std::move(*frame));
          break;
        case FrameKind::create:
        case FrameKind::call:
        case FrameKind::destroy: {
          std::lock_guard lock(mu_);
          queue_.push_back(std::move(*frame));
          cv_.notify_one();
          break;
        }
        default:
          break;  // a kind only the child sends: ignore
      }
    }
    // The daemon closed its end (stopping, or restarting us): nothing here outlives it. Plugin
    // destroy() is not run, as after a crash; the kernel reclaims everything.
    std::_Exit(0);
  }

 private:
  HostOptions options(const ChildSettings& settings) {
    HostOptions o;
    o.http = std::make_shared<DaemonHttpClient>(link_);
    o.call_timeout = settings.call_timeout;
    o.abi_minor = settings.abi_minor;
    o.log = [this](const HostLogRecord& r) { link_.send(to_frame(r)); };
    if (settings.host_clock) {
      o.now_ms = [this]() -> std::int64_t {
        auto answer = link_.ask(Frame{FrameKind::clock, 0, {}});
        return answer ? number_of(answer->field(0)) : 0;
      };
    }
    return o;
  }

  void work() {
    for (;;) {
      Frame frame;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return !queue_.empty(); });
        frame = std::move(queue_.front());
        queue_.pop_front();
      }
      if (frame.kind == FrameKind::create) {
        create(frame);
      } else if (frame.kind == FrameKind::destroy) {
        instances_.erase(frame.id);
      } else {
        call(frame);
      }
    }
  }

  void create(const Frame& frame) {
    const CreateRequest request = create_request_of(frame);
    InstanceInfo info;
    nlohmann::json config = nlohmann::json::parse(request.config_json, nullptr, false);
    if (config.is_discarded()) config = nlohmann::json::object();
    CreateProviderResult made =
        host_.create_provider(request.tenant, request.provider, request.plugin_path, config);
    if (!made.provider) {
      info.error = made.error;
    } else {
      const Provider& p = *made.provider;
      info.ok = true;
      info.plugin_id = p.plugin_name();
      info.plugin_version = p.plugin_version();
      info.fetch_order = p.supports_fetch_order();
      info.cancel_order = p.supports_cancel_order();
      info.run_action = p.supports_run_action();
      info.fetch_document = p.supports_fetch_document();
      info.actions = p.declared_actions();
      instances_[frame.id] = std::move(made.provider);
    }
    channel_.send(to_frame(frame.id, info));
  }

  void call(const Frame& frame) {
    CallRequest request = call_request_of(frame);
    auto it = instances_.find(request.instance);
    if (it == instances_.end()) {
      channel_.send(
          to_frame(frame.id, CallResult{CallStatus::internal, "",
                                        "no such plugin instance in this process", std::nullopt}));
      return;
    }
    Provider& p = *it->second;
    std::future<CallResult> answer;
    const std::string& op = request.operation;
    if (op == "list_tests") {
      answer = p.list_tests();
    } else if (op == "create_order") {
      answer = p.create_order(std::move(request.payload));
    } else if (op == "fetch_order") {
      answer = p.fetch_order(std::move(request.payload));
    } else if (op == "cancel_order") {
      answer = p.cancel_order(std::move(request.payload));
    } else if (op == "run_action") {
      answer = p.run_action(std::move(request.payload));
    } else if (op == "fetch_document") {
      answer = p.fetch_document(std::move(request.payload));
    } else if (op == "handle_callback") {
      request.callback.body = std::move(request.payload);
      answer = p.handle_callback(std::move(request.callback));
    } else {
      channel_.send(to_frame(
          frame.id, CallResult{CallStatus::internal, "", "unknown operation " + op, std::nullopt}));
      return;
    }
    // The Provider's futures have no continuation: one short-lived thread waits for each.
    std::thread([this, id = frame.id, answer = std::move(answer)]() mutable {
      channel_.send(to_frame(id, answer.get()));
    }).detach();
  }

  FrameChannel channel_;
  DaemonLink link_;
  PluginHost host_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Frame> queue_;
  std::map<std::uint64_t, std::shared_ptr<Provider>> instances_;  // worker thread only
};

}  // namespace

int serve_plugin_host(const ChildSettings& settings) {
  // Leaked on purpose: the process ends with _Exit while plugin threads may still run.
  auto* server = new ChildServer(settings);
  return server->run();
}

}  // namespace ttb::plugins::isolation
