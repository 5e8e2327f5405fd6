#pragma once
// A fake of HackerRank for Work's v3 API on 127.0.0.1:<ephemeral>, for plugin tests, the
// whole-flow tests and the demo. Serves GET /tests (paged, with `next` links), GET /tests/{id},
// POST /tests/{id}/candidates (one invite per call, 422 for a duplicate e-mail on a test),
// GET /tests/{id}/candidates/{cid} (additional_fields), .../pdf?format=url (503 until ready),
// DELETE .../invite; accepts Bearer and Basic (`key:`) auth; injects 429/5xx/delays; moves
// candidates along (start, finish, expire) from C++ or POST /__sim/...; and sends result
// webhooks to the invite's test_result_url. Thread-safe; ids are deterministic.

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/delayed_answers.h"
#include "fakes/hackerrank/candidate_record.h"
#include "fakes/hackerrank/webhook_sender.h"
#include "net/http_client.h"
#include "net/http_server.h"

namespace ttb::fakes::hackerrank {

// Every API request the fake saw (not /__sim), with the status it answered.
struct RecordedRequest {
  std::string method, path;
  std::map<std::string, std::string> query;
  net::Headers headers;
  std::string body;
  int status = 0;
};

struct Fault {
  enum Kind { rate_limited, server_error, delay } kind = server_error;
  int status = 503;                    // server_error
  int retry_after_s = 1;               // rate_limited
  bool retry_after_header = true;      // rate_limited: send Retry-After
  bool reset_header = true;            // rate_limited: send X-RateLimit-Reset (epoch seconds)
  std::chrono::milliseconds pause{0};  // delay: wait, then answer normally
  // Empty: the next request takes the fault. Else only a request whose path ends with this
  // takes it; the others pass it by.
  std::string path_suffix;

  static Fault rate_limit(int retry_after_s = 1, bool retry_after_header = true,
                          bool reset_header = true);
  static Fault error(int status = 503);
  static Fault slow(std::chrono::milliseconds pause);
  Fault only_for(std::string suffix) const;
};

struct FakeHackerRankOptions {
  std::string api_key = "hr-fake-api-key";
  unsigned short port = 0;    // 0: ephemeral
  bool rate_limiter = false;  // enforce 10 requests/s by wall time (off in tests: use inject())
};

class FakeHackerRank {
 public:
  explicit FakeHackerRank(FakeHackerRankOptions options = {});
  ~FakeHackerRank();
  FakeHackerRank(const FakeHackerRank&) = delete;
  FakeHackerRank& operator=(const FakeHackerRank&) = delete;

  unsigned short port() const;
  std::string origin() const;    // http://127.0.0.1:<port>
  std::string base_url() const;  // origin() + "/x/api/v3": what the plugin's base_url points at
  const std::string& api_key() const { return options_.api_key; }

  // Tests offered. Ids must be unique; the list keeps insertion order.
  void add_test(TestSpec test);
  // `count` published tests "t1".."t<count>" named "Test <n>" (for paging).
  void add_tests(int count, const std::string& id_prefix = "t");
  // The test's cutoff_score, shown by GET /tests/{id} when additional_fields asks for it (null
  // until set; the API documents the field, not its unit).
  void set_cutoff_score(const std::string& test_id, double cutoff_score);

  // Faults for the next `times` API requests (after authentication). They queue up; a request
  // takes the first one meant for its path (Fault::only_for).
  void inject(const Fault& fault, int times = 1);
  void clear_faults();
  void set_rate_limiter(bool on);

  // Control: move a candidate along. Each returns false for an unknown candidate.
  bool start_attempt(const std::string& candidate_id);
  bool finish(const std::string& candidate_id, const Outcome& outcome);  // status 7
  // A later score change (HackerRank's re-evaluation); requires a finished candidate.
  bool update_score(const std::string& candidate_id, double percentage_score);
  bool expire(const std::string& candidate_id);  // invite_valid = false, still status -1
  // The next `times` pdf requests for this candidate answer 503 (not rendered yet).
  bool set_pdf_unavailable(const std::string& candidate_id, int times);
  // With auto webhooks on, finish() sends the result webhook and update_score() re-sends it
  // when the invite set accept_result_updates (HackerRank's re-send-on-update).
  void set_auto_webhooks(bool on);

  // Webhooks: the candidate's current TestCandidate JSON to its test_result_url.
  Delivery send_webhook(const std::string& candidate_id, WebhookAuth auth = WebhookAuth::correct);
  // A given body (e.g. an older snapshot, for out-of-order deliveries) with the candidate's
  // credential.
  Delivery send_webhook_body(const std::string& candidate_id, std::string body,
                             WebhookAuth auth = WebhookAuth::correct);
  std::vector<Delivery> deliveries() const;

  // Observations.
  int invitations_created() const;
  std::vector<nlohmann::json> invite_bodies() const;  // every accepted POST .../candidates body
  std::optional<nlohmann::json> candidate(const std::string& candidate_id) const;  // full JSON
  std::optional<std::string> candidate_id_for(const std::string& test_id,
                                              const std::string& email) const;
  std::optional<std::string> webhook_token(
      const std::string& candidate_id) const;  // bearer token given
  std::vector<RecordedRequest> requests() const;

 private:
  using Handler = net::Response (FakeHackerRank::*)(net::Request&);
  // An API route: auth, faults, the handler, the request recorded. It answers on the I/O thread
  // it was called on, or after a "slow" fault's pause on a thread of its own.
  void api(net::Request& request, const net::Respond& respond, Handler handler);
  net::Response recorded(const net::Request& request, net::Response response);
  net::Response list_tests(net::Request& request);
  net::Response get_test(net::Request& request);
  net::Response invite(net::Request& request);
  net::Response get_candidate(net::Request& request);
  net::Response get_pdf(net::Request& request);
  net::Response cancel_invite(net::Request& request);
  net::Response report_file(net::Request& request);
  net::Response sim(net::Request& request);

  bool authorized(const net::Request& request) const;
  // The answer an injected fault gives instead, if any; a "slow" fault gives none but sets
  // `pause`.
  std::optional<net::Response> take_fault(const std::string& path,
                                          std::chrono::milliseconds& pause);
  bool over_rate_limit();
  CandidateRecord* find_locked(const std::string& candidate_id);
  std::optional<Delivery> deliver(const std::string& candidate_id, std::optional<std::string> body,
                                  WebhookAuth auth);

  FakeHackerRankOptions options_;
  std::unique_ptr<net::HttpServer> server_;
  std::unique_ptr<net::HttpClient> client_;

  mutable std::mutex mutex_;
  std::vector<TestSpec> tests_;
  std::map<std::string, double> cutoff_scores_;  // by test id
  std::map<std::string, CandidateRecord> candidates_;
  // Candidate ids by test and lowercased email (email_key), as HackerRank looks them up: the
  // invite's duplicate check and candidate_id_for read it instead of scanning every candidate.
  std::map<std::string, std::set<std::string>> by_email_;
  std::deque<Fault> faults_;
  std::deque<std::chrono::steady_clock::time_point> recent_;  // the wall-clock limiter's window
  std::vector<RecordedRequest> requests_;
  std::vector<nlohmann::json> invite_bodies_;
  std::vector<Delivery> deliveries_;
  long next_candidate_ = 1000001;
  bool auto_webhooks_ = false;
  DelayedAnswers delayed_;  // last: its threads are joined before anything they use goes
};

}  // namespace ttb::fakes::hackerrank
