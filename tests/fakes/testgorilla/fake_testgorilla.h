#pragma once
// A fake of TestGorilla's API on 127.0.0.1:<ephemeral>, for the plugin tests, the whole-flow
// test and the demo, written from TestGorilla's public API docs (docs/protocols/testgorilla.md).
// Under <origin>/api it serves POST /profiles/login/, GET /assessments/,
// POST /assessments/{id}/invite_candidate/ (400 for a candidate already in the assessment),
// GET /assessments/candidature/?assessment=..., GET /assessments/results/?..., and
// DELETE /assessments/candidature/{id}/. Every answer carries X-RateLimit-Limit/-Remaining/-Reset
// for its endpoint's per-minute limit; the limiter itself is off unless asked for (tests inject
// 429s instead). Faults: 429 with reset, 5xx, slow answers, duplicated list rows. Control hooks
// start, complete (with per-test results), disqualify or remove a candidate and archive an
// assessment. No webhooks: TestGorilla has none. Thread-safe; ids are deterministic.

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "net/http_server.h"

namespace ttb::fakes::testgorilla {

// Every API request the fake saw, with the status it answered.
struct RecordedRequest {
  std::string method, path;
  std::map<std::string, std::string> query;
  std::string body;
  int status = 0;
};

struct Fault {
  enum Kind { rate_limited, server_error, lost_answer, delay, duplicate_rows } kind = server_error;
  int status = 503;                    // server_error, lost_answer
  int reset_s = 1;                     // rate_limited: X-RateLimit-Reset (seconds until reset)
  std::chrono::milliseconds pause{0};  // delay: wait, then answer normally
  // Only requests whose path contains this take the fault ("" = any API request).
  std::string path_contains;

  static Fault rate_limit(int reset_s = 1, std::string path_contains = "");
  static Fault error(int status = 503, std::string path_contains = "");
  // The request is carried out (an invite creates the candidature) but answered with `status`,
  // as when a proxy or a timeout loses TestGorilla's answer.
  static Fault lost(int status = 502, std::string path_contains = "");
  static Fault slow(std::chrono::milliseconds pause, std::string path_contains = "");
  // A list answer (assessments, candidatures, results) that repeats every row.
  static Fault duplicates(std::string path_contains = "");
};

// One test of a completed assessment, as GET /assessments/results/ reports it.
struct TestResult {
  std::string name;
  std::optional<double> score;      // null for personality tests
  std::string algorithm = "basic";  // basic, custom_questions, big_5, enneagram, disc, ...
  std::string score_display;        // the personality profile, e.g. "2-1-1-2-1_30.0-29.0-..."
};

struct FakeTestGorillaOptions {
  std::string api_token = "tg-fake-api-token";  // a static token that never expires
  std::string username = "api@acme.example";    // for POST /profiles/login/
  std::string password = "tg-fake-password";
  std::chrono::milliseconds token_idle{std::chrono::hours(1)};  // login tokens expire after this
  unsigned short port = 0;                                      // 0: ephemeral
  bool rate_limiter = false;  // enforce the per-endpoint per-minute limits by wall time
};

class FakeTestGorilla {
 public:
  explicit FakeTestGorilla(FakeTestGorillaOptions options = {});
  ~FakeTestGorilla();
  FakeTestGorilla(const FakeTestGorilla&) = delete;
  FakeTestGorilla& operator=(const FakeTestGorilla&) = delete;

  unsigned short port() const;
  std::string origin() const;    // http://127.0.0.1:<port>
  std::string base_url() const;  // origin() + "/api": what the plugin's base_url points at
  const FakeTestGorillaOptions& options() const { return options_; }

  // An assessment ("new" until a candidate is invited, then "active"). Returns its id.
  std::string add_assessment(const std::string& name);
  // `count` assessments named "Assessment <n>" (for paging).
  void add_assessments(int count);
  bool archive(const std::string& assessment_id);

  // Faults for the next `times` matching API requests. They queue up.
  void inject(const Fault& fault, int times = 1);
  void set_rate_limiter(bool on);
  void expire_tokens();  // every login token becomes invalid (as after an hour of silence)

  // Control: move a candidature along. Each returns false for an unknown candidature.
  bool start(const std::string& candidature_id);
  bool complete(const std::string& candidature_id, const std::vector<TestResult>& results);
  bool disqualify(const std::string& candidature_id);
  bool remove(const std::string& candidature_id);  // as DELETE would
  // A candidature made in TestGorilla's UI (not through the API), e.g. an earlier invite.
  std::string add_candidature(const std::string& assessment_id, const std::string& email);

  // Observations.
  int invitations_created() const;  // accepted invite_candidate calls
  int logins() const;
  std::optional<std::string> candidature_for(const std::string& assessment_id,
                                             const std::string& email) const;
  std::optional<nlohmann::json> candidature(const std::string& candidature_id) const;
  std::vector<RecordedRequest> requests() const;
  // Requests whose method is `method` and whose path contains `path_part`.
  int count_requests(const std::string& method, const std::string& path_part) const;

 private:
  struct Assessment {
    std::string id, name, status = "new";
  };
  struct Candidature {
    std::string id, assessment_id, test_taker_id, email, full_name;
    std::string status = "invited";
    std::string created;
    long sequence = 0;  // creation order, for ordering=-created
    std::vector<TestResult> results;
  };
  using Handler = net::Response (FakeTestGorilla::*)(net::Request&);

  net::Response api(net::Request& request, const std::string& endpoint, int limit_per_minute,
                    Handler handler);
  net::Response login(net::Request& request);
  net::Response list_assessments(net::Request& request);
  net::Response invite(net::Request& request);
  net::Response list_candidatures(net::Request& request);
  net::Response list_results(net::Request& request);
  net::Response delete_candidature(net::Request& request);

  bool authorized_locked(const net::Request& request);
  std::optional<Fault> take_fault_locked(const std::string& path);
  nlohmann::json candidature_json_locked(const Candidature& c) const;
  std::string new_candidature_locked(const std::string& assessment_id, const std::string& email,
                                     const std::string& full_name);
  bool duplicate_rows_locked(const std::string& path);

  FakeTestGorillaOptions options_;
  std::unique_ptr<net::HttpServer> server_;

  mutable std::mutex mutex_;
  std::vector<Assessment> assessments_;
  std::map<std::string, Candidature> candidatures_;
  std::map<std::string, std::string> test_takers_;  // e-mail (lower case) -> test taker id
  std::map<std::string, std::chrono::steady_clock::time_point> login_tokens_;  // token -> last use
  std::deque<Fault> faults_;
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> windows_;
  std::vector<RecordedRequest> requests_;
  int invitations_ = 0;
  int logins_ = 0;
  long next_assessment_ = 501;
  long next_candidature_ = 8001;
  long next_test_taker_ = 70001;
  long next_result_ = 900001;
  long sequence_ = 0;
};

}  // namespace ttb::fakes::testgorilla
