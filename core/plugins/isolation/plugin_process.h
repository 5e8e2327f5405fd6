#pragma once
// The daemon's side of one ttb-plugin-host child: starts it, sends it creates and calls, answers
// its host requests (log, HTTP, clock), enforces call deadlines, and supervises it: a child that
// dies is restarted with backoff; one that keeps dying is quarantined (docs/plugin-isolation.md).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include <boost/asio/thread_pool.hpp>

#include "plugins/internal/plugin_host.h"
#include "plugins/isolation/channel.h"
#include "plugins/isolation/confinement.h"
#include "plugins/isolation/messages.h"

namespace ttb::plugins::isolation {

// When a plugin counts as one that keeps crashing, how long restarts wait, and how much of the
// daemon a child may hold.
struct SupervisionPolicy {
  unsigned max_deaths = 5;  // deaths within `window` that quarantine
  std::chrono::milliseconds window{10 * 60 * 1000};
  std::chrono::milliseconds first_backoff{100};  // doubled per recent death
  std::chrono::milliseconds max_backoff{10000};
  std::chrono::milliseconds create_timeout{10000};  // create() of one instance, and a start
  // A child's plugin HTTP requests out at once. The daemon holds a socket and the answer of
  // each, outside the child's limits; one past this is refused at once (the plugin sees its
  // vendor unavailable, and retries later). A dead child's requests still out count for it, not
  // for its successor: with restarts, up to max_deaths times this before the quarantine.
  unsigned max_http_in_flight = 256;
};

// What the supervisor reports (metrics).
struct ProcessEvent {
  enum class Kind { died, quarantined } kind = Kind::died;
  std::string plugin;  // the plugin file's name without .so
  std::string reason;  // died: "crash", "deadline" or "create_timeout"
};

struct ProcessOptions {
  std::filesystem::path host_binary;  // ttb-plugin-host
  std::filesystem::path plugin_path;
  std::string group;  // the isolation group this child serves ("" for the library's default)
  HostOptions host;   // http, call_timeout, log, now_ms, abi_minor, http_threads
  SupervisionPolicy policy;
  // What the child confines itself to, passed as arguments (memory in whole MiB; keep_fds is
  // the child's own).
  ConfinementSettings confinement;
  std::function<void(const ProcessEvent&)> on_event;  // may be empty
};

class PluginProcess {
 public:
  explicit PluginProcess(ProcessOptions options);
  // Stops the child (SIGKILL after closing its socket) and ends pending calls with `cancelled`.
  ~PluginProcess();
  PluginProcess(const PluginProcess&) = delete;
  PluginProcess& operator=(const PluginProcess&) = delete;

  // Creates an instance in the child and waits for its answer; the instance is created again
  // in every restarted child (see retry_lost() for one that cannot be). On failure the instance
  // is forgotten and info.error says why.
  std::pair<std::uint64_t, InstanceInfo> create_instance(const CreateRequest& request);

  // create_instance() without the wait: sends the create and returns. The child applies creates
  // one after another in the order sent, so many can be in flight (start-up with thousands of
  // providers). Each create has create_timeout from the moment the child starts on it (the
  // previous one answered); one that passes it fails alone and the child is restarted. When the
  // child dies, the create it was running fails; those queued behind it go to the next child.
  struct InstanceStart {
    std::uint64_t key = 0;
    std::future<InstanceInfo> info;  // on failure the instance is already forgotten
  };
  InstanceStart start_instance(const CreateRequest& request);
  void destroy_instance(std::uint64_t instance);

  // Sends one call; its future completes with the child's answer, `timeout` at the deadline
  // (the child is then killed and restarted), `crashed` when the child dies first, or
  // `vendor_unavailable` at once while the plugin is quarantined or when a restarted child could
  // not create the instance again.
  std::future<CallResult> call(CallRequest request, const char* operation);

  // A reload kept `instance`: if a restarted child could not create it again (its create() hung
  // or failed there), it is created again, in the child that runs now or in the next. Its calls
  // answer as before until the child confirms it. Nothing when it was not lost.
  void retry_lost(std::uint64_t instance);

  bool quarantined() const;
  // Whether a restarted child could not create `instance` again (its calls answer at once).
  bool lost(std::uint64_t instance) const;
  // The next reload: a quarantined plugin gets a fresh child and a clean count. False when it
  // was not quarantined.
  bool release_quarantine();
  // A reload that failed after release_quarantine(): the quarantine holds again, as if the reload
  // had not happened. The fresh child is stopped (not counted as a death), and calls and creates
  // waiting on it end as they would under the quarantine. False when the plugin is already
  // quarantined (it died again meanwhile) or stopping.
  bool restore_quarantine();
  std::string plugin() const;  // the plugin file's stem, for logs and metrics
  pid_t pid() const;           // the current child, -1 between lives (tests)

 private:
  struct Pending {
    std::uint64_t instance = 0;
    std::promise<CallResult> promise;
    std::chrono::steady_clock::time_point deadline;
    std::string operation;
    std::optional<Frame> unsent;  // held while no child is running
  };
  struct Registered {
    CreateRequest request;
    std::optional<std::promise<InstanceInfo>> waiter;  // a create_instance() waiting
    // Why a restarted child could not create it again, if it could not. Its calls answer at once
    // with this until a create of it succeeds: one that failed is tried again in the next child;
    // one that hung (`hung`) is left out of later children, or each would hang on it and be
    // killed, until the plugin is quarantined for every tenant. A reload tries both again
    // (retry_lost()).
    std::string lost;
    bool hung = false;
    bool retried = false;  // a reload sent it again: its answer is news, whatever it says
  };

  void live();      // start, serve, bury, back off, again
  void watchdog();  // call deadlines
  bool spawn();
  void serve();
  // Ends the dead child's calls and counts its death; true when that death quarantined the plugin
  // (its life thread then returns).
  bool bury(const std::string& stream_error);
  void handle(Frame frame);
  void serve_http(const Frame& frame);
  // A line from the child keeps its tenant, provider and plugin only when they are its own: an
  // instance created in this child, and this plugin. Otherwise the message says what it named.
  void attribute(HostLogRecord& record) const;
  // The child's request within the daemon's own bounds (timeout, response size).
  net::ClientRequest bounded(net::ClientRequest request) const;
  void finish(std::uint64_t call, CallResult result);
  void note_create_sent(std::uint64_t key);  // under mu_
  void create_answered(std::uint64_t key);   // under mu_
  void log(LogLevel level, const std::string& event, const std::string& message) const;
  std::string quarantine_detail() const;
  // What a quarantine ends: the calls out and the creates waiting, taken under mu_ and refused
  // (vendor_unavailable, with quarantine_detail()) outside it.
  struct Refused {
    std::vector<std::promise<CallResult>> calls;
    std::vector<std::promise<InstanceInfo>> creates;
  };
  Refused take_waiting();  // under mu_
  void refuse(Refused& refused) const;
  // Marks a re-created instance lost (see Registered::lost) for `why`: true when that is news (it
  // was not lost, or for another reason), with the calls held for it while the child restarts
  // moved to `held`, to be answered outside mu_. Under mu_.
  bool lose(Registered& instance, std::uint64_t key, std::string_view why, bool hung,
            std::vector<std::promise<CallResult>>& held);
  static void answer_lost(std::vector<std::promise<CallResult>>& calls, const std::string& why);
  // The calls held while no child ran, taken to be sent now that one runs. Under mu_.
  std::vector<Frame> take_unsent();

  ProcessOptions options_;
  std::string plugin_;
  std::optional<boost::asio::thread_pool> http_pool_;  // only for a client that blocks
  // The current child's HTTP requests out, and whether the cap refused one since half of them
  // were answered: a new one per child, so a dead child's requests do not hold its successor
  // back. Shared with the answers, which may come after the process object is gone.
  struct HttpInFlight {
    std::atomic<unsigned> out{0};
    std::atomic<bool> refusing{false};
  };
  std::shared_ptr<HttpInFlight> http_in_flight_ = std::make_shared<HttpInFlight>();  // mu_
  // The tenants' providers whose creates went to the current child, destroyed since or not (it
  // may still log for them), and the plugin's id as the child reported it.
  std::set<std::pair<std::string, std::string>> served_;
  std::string plugin_id_;

  mutable std::mutex mu_;
  std::condition_variable cv_;  // watchdog and backoff waits; stopping
  // When the watchdog wakes next on its own: a call whose deadline is later needs no wake-up.
  std::chrono::steady_clock::time_point watchdog_wakes_{};
  bool stopping_ = false;
  bool running_ = false;  // a child is up and its instances are created
  bool quarantined_ = false;
  // Why the watchdog killed the current child, if it did: a call past its deadline, or a create
  // past create_timeout (create_killed_ names its tenant and provider).
  enum class Killed { no, late_call, late_create };
  Killed killed_ = Killed::no;
  std::string create_killed_;
  pid_t pid_ = -1;
  std::shared_ptr<FrameChannel> channel_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Pending> pending_;
  std::map<std::uint64_t, Registered> instances_;
  std::set<std::uint64_t> recreating_;  // instances a fresh child has yet to confirm
  // Creates sent to the current child and not answered yet, in the order sent (the child's
  // order), and since when the first has been the child's to run.
  std::deque<std::uint64_t> creating_;
  std::chrono::steady_clock::time_point head_since_{};
  // Held across "note a create in creating_, send it", so the order noted is the order sent.
  // Taken before mu_.
  std::mutex create_send_mu_;
  std::deque<std::chrono::steady_clock::time_point> deaths_;
  std::string channel_error_;  // why the last child's stream ended; life thread only

  std::thread life_;
  std::thread watchdog_;
};

// ttb-plugin-host next to the running executable (ttbridged and the test binaries alike).
std::filesystem::path default_host_binary();

}  // namespace ttb::plugins::isolation
