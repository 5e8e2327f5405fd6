#pragma once
// The real codility.so loaded through core/plugins (PluginHost, the real ttb::net HttpClient)
// against the Codility fake on loopback, plus a stand-in for the daemon's callback route: a
// loopback server on /callbacks/{tenant}/{provider}/{rest...} that hands the request to the
// plugin (with an order's context only for `orders/{id}`, as the daemon does) and answers with
// the plugin's reply.

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/codility/fake_codility.h"
#include "net/http_server.h"
#include "plugins/internal/plugin_host.h"

namespace ttb::codility::testing {

using nlohmann::json;

class PluginHarness {
 public:
  explicit PluginHarness(ttb::fakes::codility::FakeCodilityOptions options = {});
  ~PluginHarness();

  ttb::fakes::codility::FakeCodility& fake() { return *fake_; }
  ttb::plugins::Provider& provider() { return *provider_; }

  // A provider with another config (e.g. a wrong token); the error when creation failed.
  ttb::plugins::CreateProviderResult make_provider(const json& config);
  json config() const;  // the default: the fake's token and base URL, a callback_secret

  // An order request as the engine sends it; its callback_url points at our receiver.
  json order_request(const std::string& order_id, const std::string& test_id,
                     const std::string& email) const;
  // Creates the order and remembers its context (as the engine stores it).
  ttb::plugins::CallResult create(const std::string& order_id, const std::string& test_id,
                                  const std::string& email);
  json context(const std::string& order_id) const;  // the stored order context

  // What the callback route saw and answered, in order.
  struct Callback {
    std::string path;
    ttb::plugins::CallResult result;
  };
  std::vector<Callback> callbacks() const;
  std::string callback_base() const;  // http://127.0.0.1:<port>/callbacks/acme/codility

 private:
  std::unique_ptr<ttb::fakes::codility::FakeCodility> fake_;
  std::unique_ptr<ttb::plugins::PluginHost> host_;
  std::shared_ptr<ttb::plugins::Provider> provider_;
  std::unique_ptr<ttb::net::HttpServer> receiver_;

  mutable std::mutex mutex_;
  std::map<std::string, json> contexts_;
  std::vector<Callback> callbacks_;
};

// Waits for a call's future with a generous deadline, so a hung call fails the test.
ttb::plugins::CallResult wait(std::future<ttb::plugins::CallResult> f);

}  // namespace ttb::codility::testing
