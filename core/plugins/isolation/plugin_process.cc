// One supervised ttb-plugin-host child; see plugin_process.h. Three kinds of thread touch it:
// the life thread (spawns, reads frames, reaps, backs off), the watchdog (deadlines) and the
// callers (create, call). Everything they share is under mu_; frames are sent outside it.

#include "plugins/isolation/plugin_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include <boost/asio/post.hpp>

#include "ops/log.h"
#include "ops/thread_name.h"

namespace ttb::plugins::isolation {
namespace {

constexpr int kChildFd = 3;
// The child's own call deadline is a backstop behind the daemon's: the daemon answers first.
constexpr std::chrono::milliseconds kChildDeadlineSlack{5000};
constexpr std::chrono::milliseconds kWatchdogIdle{1000};

std::future<CallResult> ready(CallStatus status, std::string detail) {
  std::promise<CallResult> p;
  p.set_value(CallResult{status, "", std::move(detail), std::nullopt});
  return p.get_future();
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = sigabbrev_np(sig);
    std::string text = "killed by signal ";
    text += std::to_string(sig);
    if (name != nullptr) {
      text += " (SIG";
      text += name;
      text += ")";
    }
    return text;
  }
  if (WIFEXITED(status)) {
    std::string text = "exited with code ";
    text += std::to_string(WEXITSTATUS(status));
    return text;
  }
  return "ended";
}

// What a lost instance's calls answer: which one, why, and what brings it back.
std::string lost_detail(const CreateRequest& request, std::string_view why) {
  const std::string who = "tenant " + request.tenant + ", provider " + request.provider;
  if (why.starts_with(who + ": ")) why.remove_prefix(who.size() + 2);  // the child's error
  return who + ": its plugin process restarted and could not create it again (" + std::string(why) +
         "); its calls fail until ttbridged is reloaded (SIGHUP)";
}

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The child's confinement as ttb-plugin-host arguments (parsed in host_main.cc); the defaults
// are written out too, so the child never guesses them.
void append_confinement_args(const ConfinementSettings& c, std::vector<std::string>& args) {
  args.insert(args.end(),
              {"--memory-mb", std::to_string(c.memory_bytes >> 20), "--cpu-seconds",
               std::to_string(c.cpu_seconds), "--open-files", std::to_string(c.open_files)});
  if (!c.seccomp) args.emplace_back("--no-seccomp");
  if (c.uid) args.insert(args.end(), {"--uid", std::to_string(*c.uid)});
  if (c.gid) args.insert(args.end(), {"--gid", std::to_string(*c.gid)});
}

}  // namespace

std::filesystem::path default_host_binary() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "ttb-plugin-host";
  return self.parent_path() / "ttb-plugin-host";
}

PluginProcess::PluginProcess(ProcessOptions options)
    : options_(std::move(options)), plugin_(options_.plugin_path.stem().string()) {
  if (options_.host.http && !options_.host.http->sends_async())
    http_pool_.emplace(options_.host.http_threads == 0 ? 1 : options_.host.http_threads);
  life_ = std::thread([this] { live(); });
  watchdog_ = std::thread([this] {
    ops::name_this_thread("ttb-plugin-dog");
    watchdog();
  });
}

PluginProcess::~PluginProcess() {
  std::shared_ptr<FrameChannel> channel;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    channel = channel_;
    if (pid_ > 0) ::kill(pid_, SIGKILL);
  }
  cv_.notify_all();
  if (channel) channel->shut_down();
  life_.join();
  watchdog_.join();
  if (http_pool_) http_pool_->join();
  std::map<std::uint64_t, Pending> left;
  std::vector<std::promise<InstanceInfo>> creates;
  {
    std::lock_guard lock(mu_);
    left.swap(pending_);
    for (auto& [key, r] : instances_)
      if (r.waiter) creates.push_back(std::move(*r.waiter));
    instances_.clear();
  }
  for (auto& [id, p] : left)
    p.promise.set_value(
        CallResult{CallStatus::cancelled, "", "the plugin host is shutting down", std::nullopt});
  for (auto& w : creates) {
    InstanceInfo info;
    info.error = "the plugin host is shutting down";
    w.set_value(std::move(info));
  }
}

std::string PluginProcess::plugin() const {
  return plugin_;
}

pid_t PluginProcess::pid() const {
  std::lock_guard lock(mu_);
  return pid_;
}

bool PluginProcess::quarantined() const {
  std::lock_guard lock(mu_);
  return quarantined_;
}

bool PluginProcess::lost(std::uint64_t instance) const {
  std::lock_guard lock(mu_);
  auto it = instances_.find(instance);
  return it != instances_.end() && !it->second.lost.empty();
}

bool PluginProcess::release_quarantine() {
  {
    std::lock_guard lock(mu_);
    if (!quarantined_ || stopping_) return false;
    quarantined_ = false;
    deaths_.clear();
  }
  if (life_.joinable()) life_.join();  // it returned when it quarantined the plugin
  life_ = std::thread([this] { live(); });
  log(LogLevel::info, "plugin_quarantine_lifted", "plugin " + plugin_ + " gets a fresh process");
  return true;
}

bool PluginProcess::restore_quarantine() {
  std::shared_ptr<FrameChannel> channel;
  Refused refused;
  {
    std::lock_guard lock(mu_);
    if (quarantined_ || stopping_) return false;
    // The life thread sees the flag at its next step (serving, spawning or backing off) and
    // returns; bury() does not count the kill below as a death.
    quarantined_ = true;
    channel = channel_;
    if (pid_ > 0) ::kill(pid_, SIGKILL);
    refused = take_waiting();
  }
  cv_.notify_all();
  if (channel) channel->shut_down();
  if (life_.joinable()) life_.join();
  refuse(refused);
  log(LogLevel::warn, "plugin_quarantine_kept",
      "the reload failed, so plugin " + plugin_ + " stays quarantined");
  return true;
}

PluginProcess::Refused PluginProcess::take_waiting() {
  Refused refused;
  for (auto& [id, p] : pending_) refused.calls.push_back(std::move(p.promise));
  pending_.clear();
  for (auto it = instances_.begin(); it != instances_.end();) {
    if (!it->second.waiter) {
      ++it;
      continue;
    }
    refused.creates.push_back(std::move(*it->second.waiter));
    it = instances_.erase(it);
  }
  return refused;
}

void PluginProcess::refuse(Refused& refused) const {
  const std::string detail = quarantine_detail();
  for (auto& p : refused.calls)
    p.set_value(CallResult{CallStatus::vendor_unavailable, "", detail, std::nullopt});
  for (auto& w : refused.creates) {
    InstanceInfo info;
    info.error = detail;
    w.set_value(std::move(info));
  }
}

bool PluginProcess::lose(Registered& instance, std::uint64_t key, std::string_view why, bool hung,
                         std::vector<std::promise<CallResult>>& held) {
  std::string detail = lost_detail(instance.request, why);
  if (!instance.retried && instance.hung == hung && instance.lost == detail)
    return false;  // the same news again (a failed one, failing in each new child)
  instance.lost = std::move(detail);
  instance.hung = hung;
  instance.retried = false;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.instance != key || !it->second.unsent) {
      ++it;
      continue;
    }
    held.push_back(std::move(it->second.promise));
    it = pending_.erase(it);
  }
  return true;
}

std::vector<Frame> PluginProcess::take_unsent() {
  std::vector<Frame> unsent;
  for (auto& [id, p] : pending_) {
    if (!p.unsent) continue;
    unsent.push_back(std::move(*p.unsent));
    p.unsent.reset();
  }
  return unsent;
}

void PluginProcess::retry_lost(std::uint64_t instance) {
  std::shared_ptr<FrameChannel> channel;
  CreateRequest request;
  std::lock_guard send_lock(create_send_mu_);  // in order with the other creates and destroys
  {
    std::lock_guard lock(mu_);
    auto it = instances_.find(instance);
    if (it == instances_.end() || it->second.lost.empty()) return;
    // Still lost: its calls answer as they did until the child confirms the create (handle()
    // clears the mark), or a call could reach the child before the create it needs.
    it->second.hung = false;
    it->second.retried = true;
    request = it->second.request;
    // With no child up, the next one creates it with the others; with its create already out
    // (a failed one, tried again by this child), that one decides.
    if (channel_ && std::find(creating_.begin(), creating_.end(), instance) == creating_.end()) {
      channel = channel_;
      note_create_sent(instance);
    }
  }
  if (channel) channel->send(to_frame(instance, request));
  log(LogLevel::info, "plugin_instance_retried",
      "tenant " + request.tenant + ", provider " + request.provider +
          ": tried again after the reload (its plugin process could not create it after a "
          "restart)");
}

void PluginProcess::answer_lost(std::vector<std::promise<CallResult>>& calls,
                                const std::string& why) {
  for (auto& p : calls)
    p.set_value(CallResult{CallStatus::vendor_unavailable, "", why, std::nullopt});
}

std::string PluginProcess::quarantine_detail() const {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(options_.policy.window);
  std::string text = "plugin ";
  text += plugin_;
  text += " is quarantined: its process died ";
  text += std::to_string(options_.policy.max_deaths);
  text += " times within ";
  text += std::to_string(minutes.count());
  text += " minutes; fix or replace the plugin, then reload ttbridged (SIGHUP)";
  return text;
}

void PluginProcess::log(LogLevel level, const std::string& event,
                        const std::string& message) const {
  try {
    if (options_.host.log) {
      options_.host.log(HostLogRecord{level, event, "", "", plugin_, message});
      return;
    }
    ops::log_event(to_ops(level), event, {{"plugin", plugin_}, {"message", message}});
  } catch (...) {
  }
}

std::pair<std::uint64_t, InstanceInfo> PluginProcess::create_instance(
    const CreateRequest& request) {
  InstanceStart start = start_instance(request);
  InstanceInfo info = start.info.get();
  return {info.ok ? start.key : 0, std::move(info)};
}

PluginProcess::InstanceStart PluginProcess::start_instance(const CreateRequest& request) {
  InstanceStart start;
  std::shared_ptr<FrameChannel> channel;
  std::lock_guard send_lock(create_send_mu_);
  {
    std::lock_guard lock(mu_);
    if (quarantined_ || stopping_) {
      std::promise<InstanceInfo> refused;
      start.info = refused.get_future();
      InstanceInfo info;
      info.error = quarantined_ ? quarantine_detail() : "the plugin host is shutting down";
      refused.set_value(std::move(info));
      return start;
    }
    start.key = next_id_++;
    Registered& r = instances_[start.key];
    r.request = request;
    start.info = r.waiter.emplace().get_future();
    // Until a child is spawned, spawn() sends the creates of every registered instance; after
    // that (even while it recreates the others) this one is ours to send.
    channel = channel_;
    if (channel) note_create_sent(start.key);
  }
  if (channel) channel->send(to_frame(start.key, request));
  return start;
}

void PluginProcess::note_create_sent(std::uint64_t key) {
  if (creating_.empty()) head_since_ = std::chrono::steady_clock::now();
  creating_.push_back(key);
  if (auto it = instances_.find(key); it != instances_.end())
    served_.emplace(it->second.request.tenant, it->second.request.provider);
}

void PluginProcess::create_answered(std::uint64_t key) {
  if (!creating_.empty() && creating_.front() == key) {
    creating_.pop_front();
    head_since_ = std::chrono::steady_clock::now();  // the child starts on the next one now
    return;
  }
  std::erase(creating_, key);  // not expected: the child answers creates in order
}

void PluginProcess::destroy_instance(std::uint64_t instance) {
  std::shared_ptr<FrameChannel> channel;
  // Sent behind the instance's create (create_send_mu_), whenever a child is up: the child applies
  // creates and destroys in the order sent, so a destroy while a fresh child re-creates the
  // instances ends the one it makes, instead of leaving it alive there with its config.
  std::lock_guard send_lock(create_send_mu_);
  {
    std::lock_guard lock(mu_);
    instances_.erase(instance);
    channel = channel_;
  }
  if (channel) channel->send(Frame{FrameKind::destroy, instance, {}});
}

std::future<CallResult> PluginProcess::call(CallRequest request, const char* operation) {
  std::future<CallResult> future;
  std::shared_ptr<FrameChannel> channel;
  Frame frame;
  bool wake_watchdog = false;
  {
    std::lock_guard lock(mu_);
    if (quarantined_) return ready(CallStatus::vendor_unavailable, quarantine_detail());
    if (stopping_) return ready(CallStatus::cancelled, "the plugin host is shutting down");
    const std::uint64_t instance = request.instance;
    if (auto it = instances_.find(instance); it != instances_.end() && !it->second.lost.empty())
      return ready(CallStatus::vendor_unavailable, it->second.lost);
    const std::uint64_t id = next_id_++;
    frame = to_frame(id, std::move(request));
    // Sent, it would break the child's stream, and every call in flight on it with this one.
    if (const std::string why = oversize(frame); !why.empty()) {
      return ready(CallStatus::invalid,
                   "the call is too large to pass to the plugin's process (" + why + ")");
    }
    Pending& p = pending_[id];
    p.instance = instance;
    p.deadline = std::chrono::steady_clock::now() + options_.host.call_timeout;
    p.operation = operation;
    future = p.promise.get_future();
    wake_watchdog = p.deadline < watchdog_wakes_;
    if (running_) {
      channel = channel_;
    } else {
      p.unsent = frame;  // a copy, only while the child restarts
    }
  }
  // The watchdog wakes at least every second, so only a deadline shorter than that wakes it.
  if (wake_watchdog) cv_.notify_all();
  // A failed send means the child is dying: its burial ends this call as `crashed`.
  if (channel) channel->send(frame);
  return future;
}

void PluginProcess::finish(std::uint64_t call, CallResult result) {
  std::promise<CallResult> promise;
  {
    std::lock_guard lock(mu_);
    auto it = pending_.find(call);
    if (it == pending_.end()) return;  // already ended (deadline) or unknown
    promise = std::move(it->second.promise);
    pending_.erase(it);
  }
  promise.set_value(std::move(result));
}

void PluginProcess::live() {
  ops::name_this_thread("ttb-plugin-life");
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_ || quarantined_) return;  // quarantined: restore_quarantine()
    }
    if (spawn()) serve();
    // Its own answer, not quarantined_ read again: a reload may lift the quarantine while bury
    // still reports it, and then waits for this thread to return.
    if (bury(channel_error_)) return;
    std::unique_lock lock(mu_);
    if (stopping_) return;
    const std::size_t recent = deaths_.size();
    auto backoff = options_.policy.first_backoff;
    for (std::size_t i = 1; i < recent && backoff < options_.policy.max_backoff; ++i) backoff *= 2;
    backoff = std::min(backoff, options_.policy.max_backoff);
    cv_.wait_for(lock, backoff, [this] { return stopping_ || quarantined_; });
  }
}

bool PluginProcess::spawn() {
  channel_error_.clear();
  int sv[2] = {-1, -1};
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    channel_error_ = std::string("socketpair: ") + std::strerror(errno);
    return false;
  }
  std::vector<std::string> args = {
      options_.host_binary.string(),
      "--fd",
      std::to_string(kChildFd),
      "--abi-minor",
      std::to_string(options_.host.abi_minor),
      "--call-timeout-ms",
      std::to_string((options_.host.call_timeout + kChildDeadlineSlack).count()),
      "--log-level",
      std::to_string(static_cast<int>(options_.host.log_level))};
  if (options_.host.now_ms) args.emplace_back("--host-clock");
  append_confinement_args(options_.confinement, args);
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // The child, before exec: async-signal-safe calls only. It dies with the daemon (the
    // death signal follows the forking thread, the life thread, which outlives every child).
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);
    if (sv[1] == kChildFd) {
      ::fcntl(kChildFd, F_SETFD, 0);
    } else if (::dup2(sv[1], kChildFd) < 0) {
      ::_exit(126);
    }
    // Confinement of the child, when present, is applied in serve_plugin_host's process at
    // start-up (see child_server.h), not here.
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(sv[1]);
  if (pid < 0) {
    ::close(sv[0]);
    channel_error_ = std::string("fork: ") + std::strerror(errno);
    return false;
  }
  auto channel = std::make_shared<FrameChannel>(sv[0]);
  std::vector<Frame> frames;  // the creates of every instance to make again, or the held calls
  std::lock_guard send_lock(create_send_mu_);  // no start_instance() sends before these
  {
    std::lock_guard lock(mu_);
    pid_ = pid;
    channel_ = channel;
    http_in_flight_ = std::make_shared<HttpInFlight>();  // the last child's answers count apart
    served_.clear();
    plugin_id_.clear();
    recreating_.clear();
    creating_.clear();
    for (const auto& [key, r] : instances_) {
      if (r.hung) continue;
      frames.push_back(to_frame(key, r.request));
      note_create_sent(key);
      recreating_.insert(key);
    }
    if (stopping_ || quarantined_) {
      // Ended as soon as started; shut down too, or a grandchild holding the socket would keep
      // serve() reading, and the life thread (which the stop or restore_quarantine() joins) alive.
      ::kill(pid, SIGKILL);
      channel->shut_down();
      return true;
    }
    if (recreating_.empty()) {
      running_ = true;
      frames = take_unsent();  // nothing to create first: the held calls go now
    }
  }
  log(LogLevel::info, "plugin_process_started",
      "ttb-plugin-host pid " + std::to_string(pid) + " for " + options_.plugin_path.string() +
          (options_.group.empty() ? std::string() : " (group " + options_.group + ")"));
  for (const auto& f : frames) channel->send(f);
  return true;
}

void PluginProcess::serve() {
  std::shared_ptr<FrameChannel> channel;
  {
    std::lock_guard lock(mu_);
    channel = channel_;
  }
  while (auto frame = channel->receive()) handle(std::move(*frame));
  channel_error_ = channel->error();
}

void PluginProcess::handle(Frame frame) {
  switch (frame.kind) {
    case FrameKind::result: {
      const std::uint64_t id = frame.id;
      finish(id, call_result_of(std::move(frame)));
      return;
    }
    case FrameKind::created: {
      InstanceInfo info = instance_info_of(frame);
      std::optional<std::promise<InstanceInfo>> waiter;
      std::vector<Frame> flush;
      std::shared_ptr<FrameChannel> channel;
      std::string lost;  // a re-create that failed, and the calls held for it
      std::vector<std::promise<CallResult>> held;
      {
        std::lock_guard lock(mu_);
        create_answered(frame.id);
        auto it = instances_.find(frame.id);
        if (info.ok && it != instances_.end() && plugin_id_.empty()) plugin_id_ = info.plugin_id;
        if (it != instances_.end() && it->second.waiter) {
          waiter = std::move(it->second.waiter);
          it->second.waiter.reset();
          if (!info.ok) instances_.erase(it);  // not created: nothing to create again
        } else if (it != instances_.end() && !it->second.hung) {  // else destroyed meanwhile
          if (!info.ok && lose(it->second, it->first, info.error, /*hung=*/false, held))
            lost = it->second.lost;
          if (info.ok) {  // a failed one, tried again
            it->second.lost.clear();
            it->second.retried = false;
          }
        }
        if (recreating_.erase(frame.id) > 0 && recreating_.empty()) {
          running_ = true;
          channel = channel_;
          flush = take_unsent();
        }
      }
      if (waiter) waiter->set_value(info);
      if (!lost.empty()) {
        log(LogLevel::error, "plugin_instance_recreate_failed", lost);
        answer_lost(held, lost);
      }
      for (const auto& f : flush) channel->send(f);
      return;
    }
    case FrameKind::log:
      try {
        HostLogRecord record = log_record_of(frame);
        attribute(record);
        if (options_.host.log) {
          options_.host.log(record);
        } else {
          ops::log_event(to_ops(record.level), record.event,
                         {{"tenant", record.tenant},
                          {"provider", record.provider},
                          {"plugin", record.plugin},
                          {"message", record.message}});
        }
      } catch (...) {
      }
      return;
    case FrameKind::http:
      serve_http(frame);
      return;
    case FrameKind::clock: {
      const std::int64_t now = options_.host.now_ms ? options_.host.now_ms() : system_now_ms();
      std::shared_ptr<FrameChannel> channel;
      {
        std::lock_guard lock(mu_);
        channel = channel_;
      }
      if (channel) channel->send(Frame{FrameKind::clock_result, frame.id, {std::to_string(now)}});
      return;
    }
    default:
      return;  // kinds the daemon sends: a confused child, ignored
  }
}

void PluginProcess::attribute(HostLogRecord& record) const {
  std::lock_guard lock(mu_);
  if ((!record.tenant.empty() || !record.provider.empty()) &&
      !served_.contains({record.tenant, record.provider})) {
    record.message = "[named tenant " + record.tenant + ", provider " + record.provider +
                     ", which this process does not serve] " + record.message;
    record.tenant.clear();
    record.provider.clear();
  }
  if (record.plugin != plugin_id_ && record.plugin != plugin_) {
    if (!record.plugin.empty())
      record.message = "[named plugin " + record.plugin + "] " + record.message;
    record.plugin = plugin_id_.empty() ? plugin_ : plugin_id_;
  }
}

net::ClientRequest PluginProcess::bounded(net::ClientRequest request) const {
  // The child's frame is not trusted (a plugin may write its own on fd 3): the daemon buffers
  // the answer in its own memory, outside the child's limits, so its own bounds apply.
  const HostOptions& host = options_.host;
  request.timeout =
      std::clamp(request.timeout, std::chrono::milliseconds(1),
                 std::chrono::duration_cast<std::chrono::milliseconds>(host.http_max_timeout));
  if (request.max_response_bytes == 0 || request.max_response_bytes > host.max_response_bytes)
    request.max_response_bytes = host.max_response_bytes;
  return request;
}

void PluginProcess::serve_http(const Frame& frame) {
  std::shared_ptr<FrameChannel> channel;
  std::shared_ptr<HttpInFlight> in_flight;
  {
    std::lock_guard lock(mu_);
    channel = channel_;
    in_flight = http_in_flight_;
  }
  const std::uint64_t id = frame.id;
  const unsigned limit = options_.policy.max_http_in_flight;
  if (in_flight->out.fetch_add(1) >= limit) {
    in_flight->out.fetch_sub(1);
    net::ClientResponse refused;
    refused.error = "not sent: the plugin has " + std::to_string(limit) +
                    " HTTP requests out already, the most the daemon holds for one plugin child";
    // Once until half of them are answered: a plugin past the cap would log a line per request.
    if (!in_flight->refusing.exchange(true))
      log(LogLevel::warn, "plugin_http_refused", refused.error);
    if (channel) channel->send(to_frame(id, refused));
    return;
  }
  // Counted out until the answer is on its way to the child.
  auto answer = [channel, id, limit, in_flight](const net::ClientResponse& response) {
    if (in_flight->out.fetch_sub(1) <= limit / 2) in_flight->refusing = false;
    if (channel) channel->send(to_frame(id, response));
  };
  net::HttpClient& http = *options_.host.http;
  if (http.sends_async()) {
    // No thread waits: the answer goes back to the child from the client's own thread.
    http.send_async(bounded(http_request_of(frame).request), std::move(answer));
    return;
  }
  boost::asio::post(*http_pool_, [&http, answer = std::move(answer),
                                  request = bounded(http_request_of(frame).request)] {
    ops::name_pool_thread("ttb-plugin-http");
    net::ClientResponse response;
    try {
      response = http.send(request);
    } catch (const std::exception& e) {
      response = net::ClientResponse{};
      response.error = e.what();
    }
    answer(response);
  });
}

bool PluginProcess::bury(const std::string& stream_error) {
  pid_t pid = -1;
  Killed killed = Killed::no;
  std::string create_killed;
  bool stopping = false;
  bool held = false;  // restore_quarantine() stopped this child: not a death
  std::vector<std::pair<std::promise<CallResult>, std::string>> ended;
  std::optional<std::promise<InstanceInfo>> dying_create;  // the create the child was running
  Refused refused;                                         // when this death quarantines the plugin
  std::uint64_t head = 0;                                  // instance keys start at 1
  {
    std::lock_guard lock(mu_);
    pid = pid_;
    pid_ = -1;
    running_ = false;
    recreating_.clear();
    if (!creating_.empty()) head = creating_.front();
    creating_.clear();
    channel_.reset();
    killed = std::exchange(killed_, Killed::no);
    create_killed = std::move(create_killed_);
    stopping = stopping_;
    held = quarantined_;
  }
  std::string how = stream_error;
  if (pid > 0) {
    ::kill(pid, SIGKILL);  // a child that closed its socket but lives on is no use either
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    how = describe_exit(status);
    // A stream the child broke, or this side cut off (a child that left too much unread), says
    // more than the SIGKILL that followed.
    if (!stream_error.empty() && stream_error != FrameChannel::kEndOfStream)
      how += "; " + stream_error;
  }
  if (stopping) return false;
  if (held) return true;  // its calls and creates were ended by restore_quarantine()
  const auto now = std::chrono::steady_clock::now();
  bool quarantine = false;
  {
    std::lock_guard lock(mu_);
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->second.unsent) {
        ++it;
        continue;
      }
      ended.emplace_back(std::move(it->second.promise), it->second.operation);
      it = pending_.erase(it);
    }
    // Only the create the child was running fails; the ones queued behind it (still
    // registered) go to the next child, which spawn() sends every registered instance.
    if (auto it = instances_.find(head); it != instances_.end() && it->second.waiter) {
      dying_create = std::move(it->second.waiter);
      instances_.erase(it);
    }
    deaths_.push_back(now);
    while (!deaths_.empty() && now - deaths_.front() > options_.policy.window) deaths_.pop_front();
    if (deaths_.size() >= options_.policy.max_deaths) {
      quarantine = quarantined_ = true;
      refused = take_waiting();
    }
  }
  const std::string reason = killed == Killed::late_call     ? "deadline"
                             : killed == Killed::late_create ? "create_timeout"
                                                             : "crash";
  const std::string why = killed == Killed::late_call ? "a call passed its deadline"
                          : killed == Killed::late_create
                              ? "creating the instance of " + create_killed + " passed " +
                                    std::to_string(options_.policy.create_timeout.count()) + " ms"
                              : std::string();
  log(killed != Killed::no ? LogLevel::warn : LogLevel::error, "plugin_process_died",
      "ttb-plugin-host for " + plugin_ + " " + how +
          (killed != Killed::no ? " (killed: " + why + ")" : "") + "; " +
          std::to_string(ended.size()) + " call(s) in flight");
  for (auto& [promise, op] : ended) {
    std::string detail = op;
    if (killed != Killed::no) {
      // Not `crashed`: the child was killed for a late call or create, maybe not this one.
      detail += " was ended: its plugin process was restarted after " + why;
      promise.set_value(CallResult{CallStatus::timeout, "", detail, std::nullopt});
    } else {
      detail = "the plugin process died during ";
      detail += op;
      detail += " (";
      detail += how;
      detail += ")";
      promise.set_value(CallResult{CallStatus::crashed, "", detail, std::nullopt});
    }
  }
  if (dying_create) {
    InstanceInfo info;
    info.error = "the plugin process died while creating the instance (" + how + ")";
    dying_create->set_value(std::move(info));
  }
  if (options_.on_event) options_.on_event(ProcessEvent{ProcessEvent::Kind::died, plugin_, reason});
  if (!quarantine) return false;
  log(LogLevel::error, "plugin_quarantined", quarantine_detail());
  refuse(refused);
  if (options_.on_event)
    options_.on_event(ProcessEvent{ProcessEvent::Kind::quarantined, plugin_, reason});
  return true;
}

void PluginProcess::watchdog() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const auto now = std::chrono::steady_clock::now();
    auto next = now + kWatchdogIdle;
    std::vector<std::pair<std::promise<CallResult>, std::string>> expired;
    bool kill = false;
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->second.deadline > now) {
        next = std::min(next, it->second.deadline);
        ++it;
        continue;
      }
      if (!it->second.unsent) kill = true;
      expired.emplace_back(std::move(it->second.promise), it->second.operation);
      it = pending_.erase(it);
    }
    std::optional<std::promise<InstanceInfo>> late_create;
    std::string lost;  // a re-create that hung, and the calls held for it
    std::vector<std::promise<CallResult>> held;
    bool late_create_kill = false;
    if (!creating_.empty() && pid_ > 0) {
      const auto create_deadline = head_since_ + options_.policy.create_timeout;
      if (create_deadline <= now) {
        // A create() that hangs holds the child's worker: this create fails, the child starts
        // afresh, and the creates queued behind it go to the new child.
        auto it = instances_.find(creating_.front());
        create_killed_ = "an instance destroyed since";
        if (it != instances_.end()) {
          create_killed_ =
              "tenant " + it->second.request.tenant + ", provider " + it->second.request.provider;
          if (it->second.waiter) {
            late_create = std::move(it->second.waiter);
            instances_.erase(it);
          } else {
            // Made in an earlier child: the next ones leave it out, or each would hang on it too
            // and be killed, until the plugin is quarantined for every tenant.
            if (lose(it->second, it->first,
                     "create() did not answer within " +
                         std::to_string(options_.policy.create_timeout.count()) + " ms",
                     /*hung=*/true, held)) {
              lost = it->second.lost;
            }
          }
        }
        creating_.clear();
        kill = true;
        late_create_kill = true;
      } else {
        next = std::min(next, create_deadline);
      }
    }
    if (kill && pid_ > 0) {
      // The first reason stands: a later pass may find more before the child is buried.
      if (killed_ == Killed::no)
        killed_ = late_create_kill ? Killed::late_create : Killed::late_call;
      ::kill(pid_, SIGKILL);
      // And its socket: a grandchild holding it would keep serve() reading, and no child would
      // come after this one.
      if (channel_) channel_->shut_down();
      // A create it answers before the signal lands must not let the held calls go to it.
      recreating_.clear();
    }
    if (!lost.empty()) {
      lock.unlock();
      log(LogLevel::error, "plugin_instance_recreate_failed", lost);
      answer_lost(held, lost);
      lock.lock();
    }
    if (late_create) {
      InstanceInfo info;
      info.error = "the plugin process did not create the instance within " +
                   std::to_string(options_.policy.create_timeout.count()) + " ms";
      lock.unlock();
      late_create->set_value(std::move(info));
      lock.lock();
    }
    if (!expired.empty()) {
      lock.unlock();
      const auto ms = options_.host.call_timeout.count();
      const std::string after = std::to_string(ms) + " ms";
      for (auto& [promise, op] : expired) {
        std::string detail = op;
        detail += " did not complete within ";
        detail += after;
        promise.set_value(CallResult{CallStatus::timeout, "", detail, std::nullopt});
        std::string line = op;
        line += " timed out after ";
        line += after;
        log(LogLevel::warn, "plugin_call_timeout", line);
      }
      lock.lock();
    }
    // Answers given outside the lock: a call made meanwhile may have a nearer deadline than
    // `next`, and its notify found no one waiting. Look again.
    if (!lost.empty() || late_create || !expired.empty()) continue;
    watchdog_wakes_ = next;
    cv_.wait_until(lock, next);
  }
}

}  // namespace ttb::plugins::isolation
