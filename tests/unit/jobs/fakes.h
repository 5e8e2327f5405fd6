#pragma once
// Test doubles for the job runner's ports: a scripted Provider, a recording ResultPublisher and a
// directory whose providers come and go.

#include <deque>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "jobs/ports.h"

namespace ttb::jobs::testing {

inline plugins::CallResult ok(std::string json) {
  plugins::CallResult r;
  r.status = plugins::CallStatus::ok;
  r.json = std::move(json);
  return r;
}

inline plugins::CallResult error(plugins::CallStatus status, std::string detail = {},
                                 std::optional<std::chrono::milliseconds> retry_after = {}) {
  plugins::CallResult r;
  r.status = status;
  r.detail = std::move(detail);
  r.retry_after = retry_after;
  return r;
}

class FakeProvider : public plugins::Provider {
 public:
  using Handler = std::function<std::future<plugins::CallResult>(const std::string&)>;

  FakeProvider(std::string tenant, std::string name)
      : tenant_(std::move(tenant)), name_(std::move(name)) {}

  const std::string& tenant() const override { return tenant_; }
  const std::string& name() const override { return name_; }
  const std::string& plugin_name() const override { return plugin_; }
  const std::string& plugin_version() const override { return version_; }
  bool supports_fetch_order() const override { return fetch_supported; }
  bool supports_cancel_order() const override { return cancel_supported; }
  bool supports_run_action() const override { return action_supported; }
  const std::vector<std::string>& declared_actions() const override { return actions; }
  bool runs_in_daemon_process() const override { return in_daemon_process; }

  std::future<plugins::CallResult> list_tests() override { return ready(ok("[]")); }
  std::future<plugins::CallResult> create_order(std::string request) override {
    return answer("create_order", request);
  }
  std::future<plugins::CallResult> fetch_order(std::string context) override {
    return answer("fetch_order", context);
  }
  std::future<plugins::CallResult> cancel_order(std::string context) override {
    return answer("cancel_order", context);
  }
  std::future<plugins::CallResult> run_action(std::string request) override {
    return answer("run_action", request);
  }
  std::future<plugins::CallResult> handle_callback(plugins::CallbackRequest) override {
    return ready(error(plugins::CallStatus::unsupported));
  }

  // Scripted answers per call, used in order; when none is left, `fallback[call]` answers.
  void script(const std::string& call, plugins::CallResult result) {
    std::lock_guard lock(mutex_);
    scripted_[call].push_back(std::move(result));
  }
  void set_handler(const std::string& call, Handler handler) {
    std::lock_guard lock(mutex_);
    handlers_[call] = std::move(handler);
  }
  std::vector<std::string> requests(const std::string& call) {
    std::lock_guard lock(mutex_);
    return requests_[call];
  }

  bool fetch_supported = false;
  bool cancel_supported = true;
  bool action_supported = true;
  std::vector<std::string> actions;  // the named actions the "plugin" declares (ABI 1.1)
  bool in_daemon_process = false;    // as a plugin loaded with isolation: inproc

 private:
  static std::future<plugins::CallResult> ready(plugins::CallResult r) {
    std::promise<plugins::CallResult> p;
    p.set_value(std::move(r));
    return p.get_future();
  }
  std::future<plugins::CallResult> answer(const std::string& call, const std::string& payload) {
    Handler handler;
    {
      std::lock_guard lock(mutex_);
      requests_[call].push_back(payload);
      auto& queue = scripted_[call];
      if (!queue.empty()) {
        auto r = std::move(queue.front());
        queue.pop_front();
        return ready(std::move(r));
      }
      handler = handlers_[call];
    }
    if (handler) return handler(payload);
    if (call == "create_order") return ready(ok(R"({"vendor_order_id":"v-1","status":"sent"})"));
    return ready(error(plugins::CallStatus::unsupported));
  }

  std::string tenant_, name_, plugin_ = "fake", version_ = "1.0.0";
  std::mutex mutex_;
  std::map<std::string, std::deque<plugins::CallResult>> scripted_;
  std::map<std::string, Handler> handlers_;
  std::map<std::string, std::vector<std::string>> requests_;
};

class FakeDirectory : public ProviderDirectory {
 public:
  std::shared_ptr<plugins::Provider> find(const std::string& tenant,
                                          const std::string& provider) override {
    std::lock_guard lock(mutex_);
    auto it = providers_.find(tenant + "/" + provider);
    return it == providers_.end() ? nullptr : it->second;
  }
  void add(std::shared_ptr<FakeProvider> p) {
    std::lock_guard lock(mutex_);
    providers_[p->tenant() + "/" + p->name()] = std::move(p);
  }
  void remove(const std::string& tenant, const std::string& provider) {
    std::lock_guard lock(mutex_);
    providers_.erase(tenant + "/" + provider);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<plugins::Provider>> providers_;
};

class FakePublisher : public ResultPublisher {
 public:
  struct Call {
    std::string order_id;
    orders::ResultView result;
    bool accepted;
  };

  PublishOutcome publish(const store::OrderRecord& order,
                         const orders::ResultView& result) override {
    std::lock_guard lock(mutex_);
    PublishOutcome outcome = PublishOutcome::ok();
    if (!scripted_.empty()) {
      outcome = scripted_.front();
      scripted_.pop_front();
    } else if (answer_) {
      outcome = answer_(order);
    }
    calls_.push_back({order.id, result, outcome.kind == PublishOutcome::Kind::ok});
    return outcome;
  }
  void script(PublishOutcome outcome) {
    std::lock_guard lock(mutex_);
    scripted_.push_back(std::move(outcome));
  }
  // Once the scripted outcomes are used up, each push gets answer(order) (default: ok).
  void answer_with(std::function<PublishOutcome(const store::OrderRecord&)> answer) {
    std::lock_guard lock(mutex_);
    answer_ = std::move(answer);
  }
  std::vector<Call> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::vector<Call> accepted() {
    std::vector<Call> out;
    for (auto& c : calls()) {
      if (c.accepted) out.push_back(c);
    }
    return out;
  }

 private:
  std::mutex mutex_;
  std::deque<PublishOutcome> scripted_;
  std::function<PublishOutcome(const store::OrderRecord&)> answer_;
  std::vector<Call> calls_;
};

}  // namespace ttb::jobs::testing
