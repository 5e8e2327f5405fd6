#pragma once
// A fake of Codility's API on 127.0.0.1:<ephemeral>, written from docs/protocols/codility.md,
// for the plugin tests, the whole-flow tests and the demo. Serves GET /api/tests/ (paged, with
// the is_archived filter), POST /api/tests/{id}/invite/ (one session per candidate, with the
// event_callbacks it was given), GET /api/tests/{id}/sessions/ (paged, `candidate` filter),
// GET /api/sessions/ and /api/sessions/{id}/ (410 once deleted); checks the Bearer token;
// injects 429 (Retry-After and/or X-RateLimit-Reset), 5xx, slow and lost answers, and can enforce
// the 500 requests an hour limit; moves sessions along (start, close, evaluate with per-task
// results, similarity) and POSTs {event, session} to the registered callback URLs, including
// duplicates and forged ones. Thread-safe; ids are deterministic.

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "net/http_client.h"
#include "net/http_server.h"

namespace ttb::fakes::codility {

struct TestSpec {
  std::string id;
  std::string name;
  bool archived = false;
};

struct TaskResult {
  std::string name;              // e.g. "BinaryGap"
  std::string prg_lang = "cpp";  // the language the candidate chose
  double result = 0;
  double max_result = 100;
};

// Every API request the fake saw, with the status it answered.
struct RecordedRequest {
  std::string method, path;
  std::map<std::string, std::string> query;
  net::Headers headers;
  std::string body;
  int status = 0;
};

struct Fault {
  // lost_answer: the request takes effect (an invite creates its session), but the answer is
  // replaced by `status`, as when a proxy times out on the way back.
  // raw: answers `status` with `body` as it is (a vendor's broken answer).
  enum Kind { rate_limited, server_error, delay, lost_answer, raw } kind = server_error;
  int status = 503;                    // server_error, lost_answer
  int retry_after_s = 1;               // rate_limited
  bool retry_after_header = true;      // rate_limited: send Retry-After (seconds)
  bool reset_header = true;            // rate_limited: send X-RateLimit-Reset (epoch seconds)
  std::chrono::milliseconds pause{0};  // delay: wait, then answer normally
  std::string body;                    // raw

  static Fault rate_limit(int retry_after_s = 1, bool retry_after_header = true,
                          bool reset_header = true);
  static Fault error(int status = 503);
  static Fault slow(std::chrono::milliseconds pause);
  static Fault lose_answer(int status = 504);
  static Fault answer(int status, std::string body);
};

// One callback POST and the receiver's answer.
struct Delivery {
  std::string url;
  std::string body;
  int status = 0;  // 0 when no answer arrived (see error)
  std::string response_body;
  std::string error;
};

struct FakeCodilityOptions {
  std::string api_token = "codility-fake-token";
  unsigned short port = 0;          // 0: ephemeral
  int page_size = 20;               // results per page of every list
  bool filter_by_candidate = true;  // honour ?candidate= on session lists (false: ignore it)
  int hourly_limit = 0;             // > 0: answer 429 past this many API requests an hour
};

class FakeCodility {
 public:
  explicit FakeCodility(FakeCodilityOptions options = {});
  ~FakeCodility();
  FakeCodility(const FakeCodility&) = delete;
  FakeCodility& operator=(const FakeCodility&) = delete;

  unsigned short port() const;
  std::string origin() const;    // http://127.0.0.1:<port>
  std::string base_url() const;  // origin() + "/api": what the plugin's base_url points at
  const std::string& api_token() const { return options_.api_token; }

  void add_test(TestSpec test);
  // `count` tests "<prefix>1".."<prefix><count>" named "Test <n>" (for paging).
  void add_tests(int count, const std::string& id_prefix = "t");

  // Faults for the next `times` API requests (after authentication). They queue up.
  void inject(const Fault& fault, int times = 1);
  void clear_faults();

  // Control: move a session along. Each returns false for an unknown session.
  bool start(const std::string& session_id);  // start_date
  bool close(const std::string& session_id);  // close_date (the candidate submitted or timed out)
  // Scores the session (closing it when open): evaluation {result, max_result, tasks}, the
  // report link and the PDF. With auto callbacks on, POSTs the `result` callback.
  bool evaluate(const std::string& session_id, const std::vector<TaskResult>& tasks);
  // The similarity check's outcome (e.g. "suspicious", "not_similar"). With auto callbacks on,
  // POSTs the `similarity` callback.
  bool set_similarity(const std::string& session_id, const std::string& similarity);
  bool remove(const std::string& session_id);  // the session answers 410 from now on
  void set_auto_callbacks(bool on);

  // Callbacks: {"event": event, "session": <the session's JSON now>} to the URL its invite
  // registered for `event`. nullopt when the session is unknown or registered no such event.
  std::optional<Delivery> send_callback(const std::string& session_id, const std::string& event);
  // Any body to any URL (forged tokens, another session's body).
  Delivery post(const std::string& url, const std::string& body);
  std::optional<std::string> callback_url(const std::string& session_id,
                                          const std::string& event) const;
  std::vector<Delivery> deliveries() const;

  // Observations.
  int invitations_created() const;  // sessions created by invites
  std::vector<nlohmann::json> invite_bodies() const;
  std::optional<nlohmann::json> session(const std::string& session_id) const;
  std::vector<std::string> session_ids_for(const std::string& candidate) const;  // our order id
  std::vector<RecordedRequest> requests() const;
  int requests_to(const std::string& method, const std::string& path_prefix) const;

 private:
  struct Session {
    std::string id, test_id, candidate, first_name, last_name, email, additional_data;
    std::string create_date, start_date, close_date;
    std::string test_link, report_link, pdf_report_url;
    std::string similarity;
    bool evaluated = false, removed = false;
    std::vector<TaskResult> tasks;
    std::map<std::string, std::string> callbacks;  // event -> URL
  };

  net::Response api(net::Request& request, net::Response (FakeCodility::*handler)(net::Request&));
  net::Response list_tests(net::Request& request);
  net::Response invite(net::Request& request);
  net::Response list_test_sessions(net::Request& request);
  net::Response list_sessions(net::Request& request);
  net::Response get_session(net::Request& request);
  net::Response report_file(net::Request& request);

  std::optional<net::Response> take_fault();
  std::optional<int> take_lost_answer();
  std::optional<net::Response> over_hourly_limit();
  net::Response page_of(const net::Request& request, const std::vector<nlohmann::json>& items,
                        const std::string& path) const;
  nlohmann::json to_json(const Session& s) const;
  Session* find_locked(const std::string& session_id);

  FakeCodilityOptions options_;
  std::unique_ptr<net::HttpServer> server_;
  std::unique_ptr<net::HttpClient> client_;

  mutable std::mutex mutex_;
  std::vector<TestSpec> tests_;
  std::vector<Session> sessions_;  // creation order
  std::deque<Fault> faults_;
  std::chrono::steady_clock::time_point window_start_ = std::chrono::steady_clock::now();
  int window_count_ = 0;
  std::vector<RecordedRequest> requests_;
  std::vector<nlohmann::json> invite_bodies_;
  std::vector<Delivery> deliveries_;
  long next_session_ = 5001;
  bool auto_callbacks_ = false;
};

}  // namespace ttb::fakes::codility
