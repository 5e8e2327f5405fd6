// ttb-plugin-host's loop: frames in on one reader thread, which starts calls itself; creates and
// destroys are applied in order on one worker thread, and a call to an instance with work still
// queued waits behind it. Each call's answer is sent by whichever thread ends the call.
// See child_server.h and docs/plugin-isolation.md.

#include "plugins/isolation/child_server.h"

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>

#include <nlohmann/json.hpp>

#include "net/http_client.h"
#include "plugins/internal/instance.h"
#include "plugins/internal/plugin_host.h"
#include "plugins/isolation/channel.h"
#include "plugins/isolation/messages.h"

namespace ttb::plugins::isolation {
namespace {

// Requests the child makes of the daemon (HTTP, clock): a frame out, and the answer with the
// same id handed to the request's own handler by the reader thread.
class DaemonLink {
 public:
  using Answered = std::function<void(Frame)>;

  explicit DaemonLink(FrameChannel& channel) : channel_(channel) {}

  // False, with `answered` dropped, when the frame cannot be sent; otherwise `answered` runs
  // once, on the reader thread: the daemon answers every request, or kills this process.
  bool ask_async(Frame frame, Answered answered) {
    {
      std::lock_guard lock(mu_);
      frame.id = next_id_++;
      waiting_.emplace(frame.id, std::move(answered));
    }
    if (channel_.send(frame)) return true;
    std::lock_guard lock(mu_);
    waiting_.erase(frame.id);
    return false;
  }

  std::optional<Frame> ask(Frame frame) {
    // The handler owns the promise: the reader may still be inside set_value() when this thread,
    // woken by it, returns.
    auto answer = std::make_shared<std::promise<Frame>>();
    std::future<Frame> future = answer->get_future();
    if (!ask_async(std::move(frame), [answer](Frame f) { answer->set_value(std::move(f)); }))
      return std::nullopt;
    return future.get();
  }

  void answered(Frame frame) {
    Answered handler;
    {
      std::lock_guard lock(mu_);
      auto it = waiting_.find(frame.id);
      if (it == waiting_.end()) return;
      handler = std::move(it->second);
      waiting_.erase(it);
    }
    handler(std::move(frame));
  }

  void send(const Frame& frame) { channel_.send(frame); }

 private:
  FrameChannel& channel_;
  std::mutex mu_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Answered> waiting_;
};

// The plugins' HttpClient: every request is made by the daemon's client. No thread of this
// process waits for it: the reader hands the answer on (net::HttpClient::sends_async).
class DaemonHttpClient final : public net::HttpClient {
 public:
  explicit DaemonHttpClient(DaemonLink& link) : link_(link) {}

  net::ClientResponse send(const net::ClientRequest& request) override {
    auto answer = link_.ask(to_frame(0, HttpRequest{"", "", "", request}));
    return answer ? http_response_of(*answer) : gone();
  }

  bool sends_async() const override { return true; }

  void send_async(net::ClientRequest request,
                  std::function<void(net::ClientResponse)> done) override {
    // `done` is moved into the handler only once the frame is out: a failed send still has it.
    auto shared = std::make_shared<std::function<void(net::ClientResponse)>>(std::move(done));
    const bool sent =
        link_.ask_async(to_frame(0, HttpRequest{"", "", "", std::move(request)}),
                        [shared](const Frame& answer) { (*shared)(http_response_of(answer)); });
    if (!sent) (*shared)(gone());
  }

 private:
  static net::ClientResponse gone() {
    net::ClientResponse failed;
    failed.error = "the daemon is gone";
    return failed;
  }

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
        case FrameKind::call:
          receive_call(std::move(*frame));
          break;
        case FrameKind::create:
        case FrameKind::destroy:
          enqueue(std::move(*frame));  // the id of either is the instance's key
          break;
        default:
          break;  // a kind only the child sends: ignore
      }
    }
    // The daemon closed its end (stopping, or restarting us): nothing here outlives it. Plugin
    // destroy() is not run, as after a crash; the kernel reclaims everything. A stream that broke
    // (a frame this side could not read) is said on stderr, the daemon's, and in the exit code
    // that the daemon's plugin_process_died line shows.
    if (channel_.error() != FrameChannel::kEndOfStream) {
      std::fprintf(stderr, "ttb-plugin-host: the daemon's stream broke: %s\n",
                   channel_.error().c_str());
      std::_Exit(kExitStreamBroke);
    }
    std::_Exit(0);
  }

 private:
  HostOptions options(const ChildSettings& settings) {
    HostOptions o;
    o.http = std::make_shared<DaemonHttpClient>(link_);  // sends without a thread: no pool
    o.call_timeout = settings.call_timeout;
    o.abi_minor = settings.abi_minor;
    o.log = [this](const HostLogRecord& r) { link_.send(to_frame(r)); };
    o.log_level = settings.log_level;
    if (settings.host_clock) {
      o.now_ms = [this]() -> std::int64_t {
        auto answer = link_.ask(Frame{FrameKind::clock, 0, {}});
        return answer ? number_of(answer->field(0)) : 0;
      };
    }
    return o;
  }

  // A create, a destroy, or a call that has to wait, for the worker.
  struct Work {
    std::uint64_t id = 0;
    std::variant<Frame, CallRequest> what;
  };

  // A call starts here, on the reader, unless its instance has work queued (its create, its
  // destroy, or calls queued behind those): then it queues too, so it never overtakes them.
  void receive_call(Frame frame) {
    const std::uint64_t id = frame.id;
    CallRequest request = call_request_of(std::move(frame));
    std::shared_ptr<PluginProvider> provider;
    {
      std::lock_guard lock(mu_);
      const std::uint64_t instance = request.instance;
      if (queued_.contains(instance)) {
        enqueue_locked(Work{id, std::move(request)}, instance);
        return;
      }
      auto it = instances_.find(request.instance);
      if (it != instances_.end()) provider = it->second;
    }
    start(id, std::move(request), provider.get());
  }

  void enqueue(Frame frame) {
    const std::uint64_t id = frame.id;
    std::lock_guard lock(mu_);
    enqueue_locked(Work{id, std::move(frame)}, id);
  }

  void enqueue_locked(Work work, std::uint64_t instance) {
    ++queued_[instance];
    queue_.emplace_back(instance, std::move(work));
    cv_.notify_one();
  }

  void work() {
    for (;;) {
      std::pair<std::uint64_t, Work> next;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return !queue_.empty(); });
        next = std::move(queue_.front());
        queue_.pop_front();
      }
      auto& [instance, item] = next;
      std::shared_ptr<PluginProvider> made;  // a create's instance
      std::shared_ptr<PluginProvider> gone;  // a destroy's: released outside the lock
      std::shared_ptr<PluginProvider> target;
      if (auto* frame = std::get_if<Frame>(&item.what)) {
        if (frame->kind == FrameKind::create) made = create(*frame);
      }
      {
        std::lock_guard lock(mu_);
        if (auto* frame = std::get_if<Frame>(&item.what)) {
          if (frame->kind == FrameKind::create && made) {
            instances_[instance] = made;
          } else if (frame->kind == FrameKind::destroy) {
            auto it = instances_.find(instance);
            if (it != instances_.end()) {
              gone = std::move(it->second);
              instances_.erase(it);
            }
          }
        } else {
          auto it = instances_.find(instance);
          if (it != instances_.end()) target = it->second;
        }
        auto count = queued_.find(instance);
        if (count != queued_.end() && --count->second == 0) queued_.erase(count);
      }
      if (auto* call = std::get_if<CallRequest>(&item.what))
        start(item.id, std::move(*call), target.get());
    }
  }

  // Runs the plugin's create() on the worker and answers; the instance, or null on failure.
  std::shared_ptr<PluginProvider> create(const Frame& frame) {
    const CreateRequest request = create_request_of(frame);
    InstanceInfo info;
    nlohmann::json config = nlohmann::json::parse(request.config_json, nullptr, false);
    if (config.is_discarded()) config = nlohmann::json::object();
    CreateProviderResult made =
        host_.create_provider(request.tenant, request.provider, request.plugin_path, config);
    // PluginHost makes only PluginProviders; the cast gives the calls with a completion.
    auto provider = std::dynamic_pointer_cast<PluginProvider>(made.provider);
    if (!provider) {
      info.error =
          made.provider ? "the plugin host made a provider of an unknown kind" : made.error;
    } else {
      const Provider& p = *provider;
      info.ok = true;
      info.plugin_id = p.plugin_name();
      info.plugin_version = p.plugin_version();
      info.fetch_order = p.supports_fetch_order();
      info.cancel_order = p.supports_cancel_order();
      info.run_action = p.supports_run_action();
      info.fetch_document = p.supports_fetch_document();
      info.actions = p.declared_actions();
    }
    channel_.send(to_frame(frame.id, info));
    return provider;
  }

  // Starts call `id` on `provider` (null: no such instance); its answer is sent by the thread
  // that ends the call, with no thread waiting for it.
  void start(std::uint64_t id, CallRequest request, PluginProvider* provider) {
    if (provider == nullptr) {
      channel_.send(
          to_frame(id, CallResult{CallStatus::internal, "",
                                  "no such plugin instance in this process", std::nullopt}));
      return;
    }
    provider->call(
        request.operation, std::move(request.payload), std::move(request.callback),
        [this, id](CallResult result) { channel_.send(to_frame(id, std::move(result))); });
  }

  FrameChannel channel_;
  DaemonLink link_;
  PluginHost host_;
  std::mutex mu_;
  std::condition_variable cv_;
  // Work for the worker, with the instance it is for, and how many items each instance has in
  // it: while an instance has any, its calls queue too.
  std::deque<std::pair<std::uint64_t, Work>> queue_;
  std::map<std::uint64_t, unsigned> queued_;
  std::map<std::uint64_t, std::shared_ptr<PluginProvider>> instances_;
};

}  // namespace

int serve_plugin_host(const ChildSettings& settings) {
  // Leaked on purpose: the process ends with _Exit while plugin threads may still run.
  auto* server = new ChildServer(settings);
  return server->run();
}

}  // namespace ttb::plugins::isolation
