#pragma once
// A fake of Teamtailor's partner API for tests and the bench: PUT/GET
// /partner/v1/partner-results/{id} on 127.0.0.1:<ephemeral>, checking the key, X-Api-Version, the
// media type and every attribute rule of docs/protocols/teamtailor.md ("Partner-result rules"),
// recording each accepted write, and answering 429 / 5xx / 422 or slowly on demand. For the
// operator's CLI it also lists results and activations and takes the partner resource's update
// (docs/protocols/teamtailor.md, "Partner API for operators").

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/delayed_answers.h"
#include "net/http_server.h"

namespace ttb::fakes {

struct PartnerResultWrite {
  std::string id;
  nlohmann::json attributes;                 // as sent (data.attributes)
  std::chrono::system_clock::time_point at;  // when its first byte arrived
};

// Every request the fake saw, accepted or not, with the status it answered.
struct RecordedRequest {
  std::string method, path;
  net::Headers headers;
  std::string body;
  int status = 0;
};

struct Fault {
  enum Kind { rate_limited, server_error, unprocessable, delay } kind = server_error;
  int status = 500;                                    // server_error
  std::chrono::seconds reset{1};                       // rate_limited: X-Rate-Limit-Reset
  std::string detail = "injected validation failure";  // unprocessable: errors[0].detail
  std::chrono::milliseconds pause{0};                  // delay: wait, then answer normally

  static Fault rate_limit(std::chrono::seconds reset);
  static Fault error(int status = 500);
  static Fault invalid(std::string detail);
  static Fault slow(std::chrono::milliseconds pause);
};

struct FakeTeamtailorOptions {
  std::string api_key = "tt-fake-partner-api-key";
  unsigned short port = 0;          // 0: ephemeral
  std::string partner_id = "4242";  // the partner's Integration ID: PUT /partners/{this}
};

// One company that activated the partner (GET /partner/v1/partner-activations).
struct FakeActivation {
  std::string company_uuid;
  std::string company_name;
};

class FakeTeamtailor {
 public:
  explicit FakeTeamtailor(FakeTeamtailorOptions options = {});
  ~FakeTeamtailor();
  FakeTeamtailor(const FakeTeamtailor&) = delete;
  FakeTeamtailor& operator=(const FakeTeamtailor&) = delete;

  unsigned short port() const;
  std::string base_url() const;  // http://127.0.0.1:<port>
  std::string api_url() const;   // base_url() + "/partner/v1": what teamtailor.api_url points at
  const std::string& api_key() const { return options_.api_key; }

  // The next `times` partner-result requests (after authentication) get `fault`. Faults queue up.
  void inject(const Fault& fault, int times = 1);
  void clear_faults();
  // Once any id is registered, writes to unregistered ids get 404, as for a result Teamtailor
  // never created.
  void register_result(std::string id);

  std::vector<PartnerResultWrite> writes() const;
  std::vector<PartnerResultWrite> writes_for(std::string_view id) const;
  // Accepted writes whose attributes.status is `status`, counted without copying them (the bench
  // samples it often; a copy of every write would hold the fake's lock and slow its answers).
  std::size_t count_writes(std::string_view status) const;
  // The result as Teamtailor would now show it: every accepted write merged in order.
  nlohmann::json current(std::string_view id) const;
  std::vector<RecordedRequest> requests() const;

  // Companies GET /partner/v1/partner-activations lists, in order.
  void add_activation(FakeActivation activation);
  // The partner resource's attributes as the last accepted PUT /partners/{id} left them (null
  // before any).
  nlohmann::json partner() const;

  // Waits until `predicate(writes())` holds or the deadline passes; returns the last verdict.
  bool wait_for(const std::function<bool(const std::vector<PartnerResultWrite>&)>& predicate,
                std::chrono::steady_clock::time_point deadline) const;

 private:
  // PUT partner-results/{id}: answered on the I/O thread it was called on, or after a "slow"
  // fault's pause on a thread of its own.
  void put(net::Request& request, const net::Respond& respond);
  // The answer that refuses the PUT before its body is read (auth, version, an injected fault),
  // if any; a "slow" fault refuses nothing but sets `pause`.
  std::optional<net::Response> refusal_of_put(const net::Request& request,
                                              std::chrono::milliseconds& pause);
  // Validates the body and records the write.
  net::Response store_put(net::Request& request);
  net::Response handle_get(net::Request& request);
  // The list endpoints and the partner resource, for the operator's CLI.
  net::Response handle_list_results(net::Request& request);
  net::Response handle_list_activations(net::Request& request);
  net::Response handle_put_partner(net::Request& request);
  net::Response finish(const net::Request& request, net::Response response);
  bool authorized(const net::Request& request) const;
  std::optional<Fault> take_fault();

  FakeTeamtailorOptions options_;
  std::unique_ptr<net::HttpServer> server_;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<Fault> faults_;
  std::set<std::string> known_ids_;
  std::vector<PartnerResultWrite> writes_;
  std::map<std::string, nlohmann::json> current_;
  std::vector<RecordedRequest> requests_;
  std::vector<FakeActivation> activations_;
  nlohmann::json partner_;
  DelayedAnswers delayed_;  // last: its threads are joined before anything they use goes
};

}  // namespace ttb::fakes
