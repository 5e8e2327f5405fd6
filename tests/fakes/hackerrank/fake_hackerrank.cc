#include "fakes/hackerrank/fake_hackerrank.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <sstream>

#include <Poco/Base64Decoder.h>

#include "net/router.h"

namespace ttb::fakes::hackerrank {

namespace {

using Json = nlohmann::json;

constexpr const char* kApi = "/x/api/v3";
constexpr int kDefaultLimit = 10;
constexpr int kMaxLimit = 100;
constexpr std::size_t kRateLimitPerSecond = 10;

net::Response json_response(int status, const Json& body) {
  return net::Response::json(status, body.dump(-1, ' ', false, Json::error_handler_t::replace));
}

net::Response message(int status, const std::string& text) {
  return json_response(status, {{"message", text}});
}

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string email_key(const std::string& test_id, const std::string& email) {
  return test_id + '\n' + lower(email);
}

std::string base64_decode(const std::string& in) {
  std::istringstream source(in);
  Poco::Base64Decoder decoder(source);
  std::string out;
  char c;
  try {
    while (decoder.get(c)) out.push_back(c);
  } catch (...) {
    return {};
  }
  return out;
}

int query_int(const net::Request& r, const char* name, int fallback) {
  auto it = r.query.find(name);
  if (it == r.query.end() || it->second.empty() || it->second.size() > 9 ||
      it->second.find_first_not_of("0123456789") != std::string::npos)
    return fallback;
  return std::stoi(it->second);
}

Json test_json(const TestSpec& t) {
  return {{"id", t.id},
          {"unique_id", "u" + t.id},
          {"name", t.name},
          {"duration", t.duration_minutes},
          {"owner", "owner-1"},
          {"instructions", "<p>Solve the problems in the language of your choice.</p>"},
          {"state", t.state},
          {"draft", t.draft},
          {"locked", false},
          {"tags", Json::array({"fake"})},
          {"created_at", "2025-01-01T00:00:00Z"},
          {"languages", Json::array({"cpp", "python3"})}};
}

}  // namespace

Fault Fault::rate_limit(int retry_after_s, bool retry_after_header, bool reset_header) {
  Fault f;
  f.kind = rate_limited;
  f.status = 429;
  f.retry_after_s = retry_after_s;
  f.retry_after_header = retry_after_header;
  f.reset_header = reset_header;
  return f;
}

Fault Fault::error(int status) {
  Fault f;
  f.kind = server_error;
  f.status = status;
  return f;
}

Fault Fault::slow(std::chrono::milliseconds pause) {
  Fault f;
  f.kind = delay;
  f.pause = pause;
  return f;
}

Fault Fault::only_for(std::string suffix) const {
  Fault f = *this;
  f.path_suffix = std::move(suffix);
  return f;
}

FakeHackerRank::FakeHackerRank(FakeHackerRankOptions options)
    : options_(std::move(options)), client_(net::make_http_client()) {
  auto router = std::make_shared<net::Router>();
  const std::string base = kApi;
  // The API answers on the server's I/O threads, as a remote service costs the daemon no more
  // than its answer: the bench's fakes share the daemon's two cores, and a hop to a worker and
  // back for every call was CPU taken from what the bench measures.
  auto route = [this, &router](const char* method, const std::string& pattern, Handler handler) {
    router->add_async(method, pattern, [this, handler](net::Request& r, net::Respond respond) {
      api(r, respond, handler);
    });
  };
  route("GET", base + "/tests", &FakeHackerRank::list_tests);
  route("GET", base + "/tests/{test_id}", &FakeHackerRank::get_test);
  route("POST", base + "/tests/{test_id}/candidates", &FakeHackerRank::invite);
  route("GET", base + "/tests/{test_id}/candidates/{candidate_id}", &FakeHackerRank::get_candidate);
  route("GET", base + "/tests/{test_id}/candidates/{candidate_id}/pdf", &FakeHackerRank::get_pdf);
  route("DELETE", base + "/tests/{test_id}/candidates/{candidate_id}/invite",
        &FakeHackerRank::cancel_invite);
  // The links we hand out (report pages, PDFs) resolve to something, without auth.
  router->add("GET", "/x/reports/{file}", [this](net::Request& r) { return report_file(r); });
  router->add("POST", "/__sim/{rest...}", [this](net::Request& r) { return sim(r); });
  router->add("GET", "/__sim/{rest...}", [this](net::Request& r) { return sim(r); });

  net::ServerOptions server_options;
  server_options.host = "127.0.0.1";
  server_options.port = options_.port;
  server_options.threads = 8;
  server_ = net::make_http_server(server_options, router, {});
  server_->start();
}

FakeHackerRank::~FakeHackerRank() {
  server_->stop(std::chrono::milliseconds(200));
}

unsigned short FakeHackerRank::port() const {
  return server_->port();
}
std::string FakeHackerRank::origin() const {
  return "http://127.0.0.1:" + std::to_string(port());
}
std::string FakeHackerRank::base_url() const {
  return origin() + kApi;
}

void FakeHackerRank::add_test(TestSpec test) {
  std::lock_guard lock(mutex_);
  tests_.push_back(std::move(test));
}

void FakeHackerRank::set_cutoff_score(const std::string& test_id, double cutoff_score) {
  std::lock_guard lock(mutex_);
  cutoff_scores_[test_id] = cutoff_score;
}

void FakeHackerRank::add_tests(int count, const std::string& id_prefix) {
  std::lock_guard lock(mutex_);
  for (int i = 1; i <= count; ++i)
    tests_.push_back(
        TestSpec{id_prefix + std::to_string(i), "Test " + std::to_string(i), 60, false, "active"});
}

void FakeHackerRank::inject(const Fault& fault, int times) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < times; ++i) faults_.push_back(fault);
}

void FakeHackerRank::clear_faults() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

void FakeHackerRank::set_rate_limiter(bool on) {
  std::lock_guard lock(mutex_);
  options_.rate_limiter = on;
  recent_.clear();
}

void FakeHackerRank::set_auto_webhooks(bool on) {
  std::lock_guard lock(mutex_);
  auto_webhooks_ = on;
}

// --- request plumbing ----------------------------------------------------------------------

bool FakeHackerRank::authorized(const net::Request& request) const {
  auto value = request.header("Authorization");
  if (!value) return false;
  if (value->rfind("Bearer ", 0) == 0) return value->substr(7) == options_.api_key;
  if (value->rfind("Basic ", 0) == 0) {
    // HackerRank: the API key as the user name and no password ("-u KEY:").
    std::string decoded = base64_decode(value->substr(6));
    return decoded == options_.api_key + ":" || decoded == options_.api_key;
  }
  return false;
}

bool FakeHackerRank::over_rate_limit() {
  if (!options_.rate_limiter) return false;
  auto now = std::chrono::steady_clock::now();
  while (!recent_.empty() && now - recent_.front() >= std::chrono::seconds(1)) recent_.pop_front();
  if (recent_.size() >= kRateLimitPerSecond) return true;
  recent_.push_back(now);
  return false;
}

std::optional<net::Response> FakeHackerRank::take_fault(const std::string& path,
                                                        std::chrono::milliseconds& pause) {
  std::optional<Fault> fault;
  bool limited = false;
  {
    std::lock_guard lock(mutex_);
    auto mine = std::find_if(faults_.begin(), faults_.end(),
                             [&](const Fault& f) { return path.ends_with(f.path_suffix); });
    if (mine != faults_.end()) {
      fault = *mine;
      faults_.erase(mine);
    } else {
      limited = over_rate_limit();
    }
  }
  if (limited) fault = Fault::rate_limit(1);
  if (!fault) return std::nullopt;
  switch (fault->kind) {
    case Fault::delay:
      pause = fault->pause;
      return std::nullopt;
    case Fault::server_error:
      return message(fault->status, "injected server error");
    case Fault::rate_limited: {
      net::Response r = message(429, "Rate limit exceeded: at most 10 requests per second");
      r.headers.emplace_back("X-RateLimit-Limit", "10");
      r.headers.emplace_back("X-RateLimit-Remaining", "0");
      if (fault->retry_after_header)
        r.headers.emplace_back("Retry-After", std::to_string(fault->retry_after_s));
      if (fault->reset_header)
        r.headers.emplace_back("X-RateLimit-Reset",
                               std::to_string(std::time(nullptr) + fault->retry_after_s));
      return r;
    }
  }
  return std::nullopt;
}

void FakeHackerRank::api(net::Request& request, const net::Respond& respond, Handler handler) {
  if (!authorized(request)) {
    respond(recorded(request, message(401, "Invalid or missing API key")));
    return;
  }
  std::chrono::milliseconds pause{0};
  if (auto fault = take_fault(request.path, pause)) {
    respond(recorded(request, std::move(*fault)));
  } else if (pause.count() > 0) {
    delayed_.after(pause, [this, request, respond, handler]() mutable {
      respond(recorded(request, (this->*handler)(request)));
    });
  } else {
    respond(recorded(request, (this->*handler)(request)));
  }
}

net::Response FakeHackerRank::recorded(const net::Request& request, net::Response response) {
  std::lock_guard lock(mutex_);
  requests_.push_back(RecordedRequest{request.method, request.path, request.query, request.headers,
                                      request.body, response.status});
  return response;
}

CandidateRecord* FakeHackerRank::find_locked(const std::string& candidate_id) {
  auto it = candidates_.find(candidate_id);
  return it == candidates_.end() ? nullptr : &it->second;
}

// --- API routes ------------------------------------------------------------------------------

net::Response FakeHackerRank::list_tests(net::Request& request) {
  int limit = std::clamp(query_int(request, "limit", kDefaultLimit), 1, kMaxLimit);
  int offset = std::max(0, query_int(request, "offset", 0));
  std::lock_guard lock(mutex_);
  const int total = static_cast<int>(tests_.size());
  Json data = Json::array();
  for (int i = offset; i < std::min(total, offset + limit); ++i)
    data.push_back(test_json(tests_[i]));
  auto link = [&](int at) {
    return base_url() + "/tests?limit=" + std::to_string(limit) + "&offset=" + std::to_string(at);
  };
  const int last = total == 0 ? 0 : ((total - 1) / limit) * limit;
  return json_response(200, {{"data", data},
                             {"page_total", data.size()},
                             {"offset", offset},
                             {"previous", offset > 0 ? link(std::max(0, offset - limit)) : ""},
                             {"next", offset + limit < total ? link(offset + limit) : ""},
                             {"first", link(0)},
                             {"last", link(last)},
                             {"total", total}});
}

net::Response FakeHackerRank::get_test(net::Request& request) {
  std::lock_guard lock(mutex_);
  for (const auto& t : tests_) {
    if (t.id != request.params["test_id"]) continue;
    Json test = test_json(t);
    auto fields = request.query.find("additional_fields");
    if (fields != request.query.end() && fields->second.find("cutoff_score") != std::string::npos) {
      auto cutoff = cutoff_scores_.find(t.id);
      test["cutoff_score"] = cutoff == cutoff_scores_.end() ? Json(nullptr) : Json(cutoff->second);
    }
    return json_response(200, test);
  }
  return message(404, "Test not found");
}

net::Response FakeHackerRank::invite(net::Request& request) {
  const std::string test_id = request.params["test_id"];
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return message(400, "The body must be a JSON object");
  auto email_it = body.find("email");
  if (email_it == body.end() || !email_it->is_string() ||
      email_it->get<std::string>().find('@') == std::string::npos)
    return message(400, "email is required");
  const std::string email = email_it->get<std::string>();
  std::string result_url;
  if (auto it = body.find("test_result_url"); it != body.end() && it->is_string()) result_url = *it;
  Json auth = body.contains("webhook_authentication") ? body["webhook_authentication"] : Json();
  if (!result_url.empty()) {
    // HackerRank requires a credential whenever a result URL is given.
    const bool ok =
        auth.is_object() && auth.contains("data") && auth["data"].is_object() &&
        ((auth.value("type", "") == "bearer_token" && auth["data"].value("token", "") != "") ||
         (auth.value("type", "") == "basic_auth" && auth["data"].value("username", "") != ""));
    if (!ok) return message(400, "webhook_authentication is required with test_result_url");
  }
  std::lock_guard lock(mutex_);
  const TestSpec* test = nullptr;
  for (const auto& t : tests_)
    if (t.id == test_id) test = &t;
  if (test == nullptr) return message(404, "Test not found");
  if (test->draft || test->state == "archived") return message(422, "The test is not published");
  const bool force = body.value("force", false);
  if (!force && by_email_.count(email_key(test_id, email)) > 0)
    return message(422, "Candidate has already been invited to this test");

  CandidateRecord c;
  c.id = std::to_string(next_candidate_++);
  c.test_id = test_id;
  c.email = email;
  if (auto it = body.find("full_name"); it != body.end() && it->is_string()) c.full_name = *it;
  c.invited_on = now_iso();
  c.test_link = origin() + "/tests/u" + test_id + "/login?b=" + c.id;
  c.report_url = origin() + "/x/tests/" + test_id + "/candidates/" + c.id + "/summary";
  c.authenticated_report_url = origin() + "/x/reports/" + c.id + ".html";
  c.pdf_url = origin() + "/x/reports/" + c.id + ".pdf";
  if (auto it = body.find("invite_metadata"); it != body.end() && it->is_object())
    c.invite_metadata = *it;
  c.test_result_url = result_url;
  c.webhook_authentication = auth;
  c.accept_result_updates = body.value("accept_result_updates", false);
  invite_bodies_.push_back(body);
  Json answer = {{"id", c.id}, {"email", c.email}, {"test_link", c.test_link}};
  by_email_[email_key(c.test_id, c.email)].insert(c.id);
  candidates_.emplace(c.id, std::move(c));
  return json_response(200, answer);
}

net::Response FakeHackerRank::get_candidate(net::Request& request) {
  std::lock_guard lock(mutex_);
  CandidateRecord* c = find_locked(request.params["candidate_id"]);
  if (c == nullptr || c->test_id != request.params["test_id"])
    return message(404, "Candidate not found");
  auto fields = request.query.find("additional_fields");
  return json_response(200, c->to_json(fields == request.query.end() ? "" : fields->second));
}

net::Response FakeHackerRank::get_pdf(net::Request& request) {
  std::lock_guard lock(mutex_);
  CandidateRecord* c = find_locked(request.params["candidate_id"]);
  if (c == nullptr || c->test_id != request.params["test_id"])
    return message(404, "Candidate not found");
  if (c->status != 7) return message(404, "The report is not available");
  if (c->pdf_unavailable > 0) {
    --c->pdf_unavailable;
    return message(503, "The PDF report is being generated; try again later");
  }
  auto format = request.query.find("format");
  if (format == request.query.end() || format->second != "url") {
    net::Response r;
    r.content_type = "application/pdf";
    r.body = "%PDF-1.4\n% fake HackerRank report\n%%EOF\n";
    return r;
  }
  return json_response(200, {{"url", c->pdf_url}});
}

net::Response FakeHackerRank::cancel_invite(net::Request& request) {
  std::lock_guard lock(mutex_);
  CandidateRecord* c = find_locked(request.params["candidate_id"]);
  if (c == nullptr || c->test_id != request.params["test_id"])
    return message(404, "Candidate not found");
  if (c->status != -1) return message(422, "The candidate has already started the test");
  c->invite_valid = false;
  c->cancelled = true;
  return json_response(200, {{"id", c->id}, {"email", c->email}, {"status", c->status}});
}

net::Response FakeHackerRank::report_file(net::Request& request) {
  const std::string file = request.params["file"];
  if (file.ends_with(".pdf")) {
    net::Response r;
    r.content_type = "application/pdf";
    r.body = "%PDF-1.4\n% fake HackerRank report\n%%EOF\n";
    return r;
  }
  net::Response r = net::Response::text(200, "<html><body>Fake HackerRank report</body></html>");
  r.content_type = "text/html; charset=utf-8";
  return r;
}

// --- control -----------------------------------------------------------------------------------

bool FakeHackerRank::start_attempt(const std::string& candidate_id) {
  std::lock_guard lock(mutex_);
  CandidateRecord* c = find_locked(candidate_id);
  if (c == nullptr) return false;
  c->status = 1;
  c->attempt_starttime = now_iso();
  return true;
}

bool FakeHackerRank::finish(const std::string& candidate_id, const Outcome& outcome) {
  bool send = false;
  {
    std::lock_guard lock(mutex_);
    CandidateRecord* c = find_locked(candidate_id);
    if (c == nullptr) return false;
    if (c->attempt_starttime.empty()) c->attempt_starttime = now_iso();
    c->attempt_endtime = now_iso();
    c->status = 7;
    c->has_result = true;
    c->outcome = outcome;
    send = auto_webhooks_ && !c->test_result_url.empty();
  }
  if (send) deliver(candidate_id, std::nullopt, WebhookAuth::correct);
  return true;
}

bool FakeHackerRank::update_score(const std::string& candidate_id, double percentage_score) {
  bool send = false;
  {
    std::lock_guard lock(mutex_);
    CandidateRecord* c = find_locked(candidate_id);
    if (c == nullptr || !c->has_result) return false;
    c->outcome.percentage_score = percentage_score;
    for (auto& q : c->outcome.questions) q.score = q.max_score * percentage_score / 100.0;
    send = auto_webhooks_ && c->accept_result_updates && !c->test_result_url.empty();
  }
  if (send) deliver(candidate_id, std::nullopt, WebhookAuth::correct);
  return true;
}

bool FakeHackerRank::expire(const std::string& candidate_id) {
  std::lock_guard lock(mutex_);
  CandidateRecord* c = find_locked(candidate_id);
  if (c == nullptr) return false;
  c->status = -1;
  c->invite_valid = false;
  return true;
}

bool FakeHackerRank::set_pdf_unavailable(const std::string& candidate_id, int times) {
  std::lock_guard lock(mutex_);
  CandidateRecord* c = find_locked(candidate_id);
  if (c == nullptr) return false;
  c->pdf_unavailable = times;
  return true;
}

// --- webhooks ----------------------------------------------------------------------------------

std::optional<Delivery> FakeHackerRank::deliver(const std::string& candidate_id,
                                                std::optional<std::string> body, WebhookAuth auth) {
  std::string url;
  Json credential;
  {
    std::lock_guard lock(mutex_);
    CandidateRecord* c = find_locked(candidate_id);
    if (c == nullptr || c->test_result_url.empty()) return std::nullopt;
    url = c->test_result_url;
    credential = c->webhook_authentication;
    if (!body)
      body =
          c->to_json("", /*everything=*/true).dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  // Sent without the lock: the receiver may call back into this fake (it re-fetches).
  Delivery d = deliver_webhook(*client_, url, credential, std::move(*body), auth);
  std::lock_guard lock(mutex_);
  deliveries_.push_back(d);
  return d;
}

Delivery FakeHackerRank::send_webhook(const std::string& candidate_id, WebhookAuth auth) {
  auto d = deliver(candidate_id, std::nullopt, auth);
  if (!d) return Delivery{"", "", auth, 0, "", "unknown candidate or no test_result_url"};
  return *d;
}

Delivery FakeHackerRank::send_webhook_body(const std::string& candidate_id, std::string body,
                                           WebhookAuth auth) {
  auto d = deliver(candidate_id, std::move(body), auth);
  if (!d) return Delivery{"", "", auth, 0, "", "unknown candidate or no test_result_url"};
  return *d;
}

std::vector<Delivery> FakeHackerRank::deliveries() const {
  std::lock_guard lock(mutex_);
  return deliveries_;
}

// --- observations ------------------------------------------------------------------------------

int FakeHackerRank::invitations_created() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(candidates_.size());
}

std::vector<Json> FakeHackerRank::invite_bodies() const {
  std::lock_guard lock(mutex_);
  return invite_bodies_;
}

std::optional<Json> FakeHackerRank::candidate(const std::string& candidate_id) const {
  std::lock_guard lock(mutex_);
  auto it = candidates_.find(candidate_id);
  if (it == candidates_.end()) return std::nullopt;
  return it->second.to_json("", true);
}

std::optional<std::string> FakeHackerRank::candidate_id_for(const std::string& test_id,
                                                            const std::string& email) const {
  std::lock_guard lock(mutex_);
  auto it = by_email_.find(email_key(test_id, email));
  if (it == by_email_.end()) return std::nullopt;
  return *it->second.begin();  // the first by id, as a scan of candidates_ would find it
}

std::optional<std::string> FakeHackerRank::webhook_token(const std::string& candidate_id) const {
  std::lock_guard lock(mutex_);
  auto it = candidates_.find(candidate_id);
  if (it == candidates_.end()) return std::nullopt;
  const Json& wa = it->second.webhook_authentication;
  if (!wa.is_object() || wa.value("type", "") != "bearer_token" || !wa.contains("data") ||
      !wa["data"].is_object())
    return std::nullopt;
  return wa["data"].value("token", "");
}

std::vector<RecordedRequest> FakeHackerRank::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

// --- POST /__sim/... -------------------------------------------------------------------------
// /__sim/candidates/{id}/start | finish {percentage_score, questions:[{name,score,max_score,
// section}], performance_summary, integrity_status} | expire | update {percentage_score} |
// pdf_unavailable {times} | webhook {auth: correct|wrong|missing};
// /__sim/rate_limit {times, retry_after_s}; /__sim/auto_webhooks {on}; GET /__sim/state.

net::Response FakeHackerRank::sim(net::Request& request) {
  const std::string rest = request.params["rest"];
  Json body = request.body.empty() ? Json::object() : Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return message(400, "control body must be a JSON object");
  if (request.method == "GET" && rest == "state") {
    Json out = {{"invitations_created", invitations_created()}, {"candidates", Json::array()}};
    std::lock_guard lock(mutex_);
    for (const auto& [id, c] : candidates_) out["candidates"].push_back(c.to_json("", true));
    return json_response(200, out);
  }
  if (rest == "rate_limit") {
    inject(Fault::rate_limit(body.value("retry_after_s", 1)), body.value("times", 1));
    return json_response(200, {{"ok", true}});
  }
  if (rest == "auto_webhooks") {
    set_auto_webhooks(body.value("on", true));
    return json_response(200, {{"ok", true}});
  }
  const std::string prefix = "candidates/";
  if (rest.rfind(prefix, 0) != 0) return message(404, "unknown control route");
  const std::string tail = rest.substr(prefix.size());
  const auto slash = tail.find('/');
  if (slash == std::string::npos) return message(404, "unknown control route");
  const std::string id = tail.substr(0, slash), action = tail.substr(slash + 1);
  bool ok = false;
  if (action == "start") {
    ok = start_attempt(id);
  } else if (action == "finish") {
    Outcome o;
    o.percentage_score = body.value("percentage_score", 0.0);
    o.performance_summary = body.value("performance_summary", o.performance_summary);
    o.integrity_status = body.value("integrity_status", o.integrity_status);
    if (auto q = body.find("questions"); q != body.end() && q->is_array())
      for (const Json& item : *q)
        if (item.is_object())
          o.questions.push_back(
              QuestionScore{item.value("name", "Question"), item.value("score", 0.0),
                            item.value("max_score", 0.0), item.value("section", "Coding"),
                            item.value("type", "code")});
    ok = finish(id, o);
  } else if (action == "update") {
    ok = update_score(id, body.value("percentage_score", 0.0));
  } else if (action == "expire") {
    ok = expire(id);
  } else if (action == "pdf_unavailable") {
    ok = set_pdf_unavailable(id, body.value("times", 1));
  } else if (action == "webhook") {
    const std::string mode = body.value("auth", "correct");
    WebhookAuth auth = mode == "wrong"     ? WebhookAuth::wrong
                       : mode == "missing" ? WebhookAuth::missing
                                           : WebhookAuth::correct;
    Delivery d = send_webhook(id, auth);
    return json_response(d.status == 0 && !d.error.empty() && d.url.empty() ? 404 : 200,
                         {{"delivered_status", d.status}, {"error", d.error}});
  } else {
    return message(404, "unknown control action");
  }
  return ok ? json_response(200, {{"ok", true}}) : message(404, "unknown candidate");
}

}  // namespace ttb::fakes::hackerrank
