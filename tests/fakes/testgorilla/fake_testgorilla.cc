#include "fakes/testgorilla/fake_testgorilla.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <thread>

#include "net/router.h"

namespace ttb::fakes::testgorilla {

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kDefaultLimit = 10;  // TestGorilla's default page size
constexpr int kMaxLimit = 100;

net::Response json_response(int status, const Json& body) {
  return net::Response::json(status, body.dump(-1, ' ', false, Json::error_handler_t::replace));
}

net::Response detail(int status, const std::string& text) {
  return json_response(status, {{"detail", text}});
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int query_int(const net::Request& r, const char* name, int fallback) {
  auto it = r.query.find(name);
  if (it == r.query.end() || it->second.empty() || it->second.size() > 9 ||
      it->second.find_first_not_of("0123456789") != std::string::npos)
    return fallback;
  return std::stoi(it->second);
}

std::string query(const net::Request& r, const char* name) {
  auto it = r.query.find(name);
  return it == r.query.end() ? std::string() : it->second;
}

// "2026-01-01T10:00:<n>+00:00": deterministic, ordered like the creation sequence.
std::string created_at(long sequence) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "2026-01-01T%02ld:%02ld:%02ld.000000+00:00",
                (sequence / 3600) % 24, (sequence / 60) % 60, sequence % 60);
  return buf;
}

// One page of `rows` as TestGorilla's list calls answer: {count, next, previous, results}.
Json page_of(const std::vector<Json>& rows, const net::Request& r, const std::string& url) {
  const int limit = std::clamp(query_int(r, "limit", kDefaultLimit), 1, kMaxLimit);
  const int offset = std::max(0, query_int(r, "offset", 0));
  const int total = static_cast<int>(rows.size());
  Json results = Json::array();
  for (int i = offset; i < std::min(total, offset + limit); ++i) results.push_back(rows[i]);
  auto link = [&](int at) -> Json {
    std::string q;
    for (const auto& [k, v] : r.query)
      if (k != "offset") q += k + "=" + v + "&";
    return url + "?" + q + "offset=" + std::to_string(at);
  };
  return {{"count", total},
          {"next", offset + limit < total ? link(offset + limit) : Json(nullptr)},
          {"previous", offset > 0 ? link(std::max(0, offset - limit)) : Json(nullptr)},
          {"results", results}};
}

}  // namespace

Fault Fault::rate_limit(int reset_s, std::string path_contains) {
  Fault f;
  f.kind = rate_limited;
  f.status = 429;
  f.reset_s = reset_s;
  f.path_contains = std::move(path_contains);
  return f;
}

Fault Fault::error(int status, std::string path_contains) {
  Fault f;
  f.kind = server_error;
  f.status = status;
  f.path_contains = std::move(path_contains);
  return f;
}

Fault Fault::lost(int status, std::string path_contains) {
  Fault f;
  f.kind = lost_answer;
  f.status = status;
  f.path_contains = std::move(path_contains);
  return f;
}

Fault Fault::slow(std::chrono::milliseconds pause, std::string path_contains) {
  Fault f;
  f.kind = delay;
  f.pause = pause;
  f.path_contains = std::move(path_contains);
  return f;
}

Fault Fault::duplicates(std::string path_contains) {
  Fault f;
  f.kind = duplicate_rows;
  f.path_contains = std::move(path_contains);
  return f;
}

FakeTestGorilla::FakeTestGorilla(FakeTestGorillaOptions options) : options_(std::move(options)) {
  auto router = std::make_shared<net::Router>();
  auto route = [this, &router](const char* method, const std::string& pattern,
                               const std::string& endpoint, int limit, Handler handler) {
    router->add(method, pattern, [this, endpoint, limit, handler](net::Request& r) {
      return api(r, endpoint, limit, handler);
    });
  };
  // The limits are TestGorilla's documented per-minute limits of each endpoint. Literal routes
  // come before /assessments/{id}/... so that "candidature" and "results" are not taken as ids.
  router->add("POST", "/api/profiles/login", [this](net::Request& r) { return login(r); });
  route("GET", "/api/assessments", "assessments", 20, &FakeTestGorilla::list_assessments);
  route("GET", "/api/assessments/candidature", "candidature", 100,
        &FakeTestGorilla::list_candidatures);
  route("DELETE", "/api/assessments/candidature/{id}", "candidature_delete", 20,
        &FakeTestGorilla::delete_candidature);
  route("GET", "/api/assessments/results", "results", 60, &FakeTestGorilla::list_results);
  route("POST", "/api/assessments/{id}/invite_candidate", "invite_candidate", 60,
        &FakeTestGorilla::invite);

  net::ServerOptions server_options;
  server_options.host = "127.0.0.1";
  server_options.port = options_.port;
  server_options.threads = 8;
  server_ = net::make_http_server(server_options, router, {});
  server_->start();
}

FakeTestGorilla::~FakeTestGorilla() {
  server_->stop(std::chrono::milliseconds(200));
}

unsigned short FakeTestGorilla::port() const {
  return server_->port();
}
std::string FakeTestGorilla::origin() const {
  return "http://127.0.0.1:" + std::to_string(port());
}
std::string FakeTestGorilla::base_url() const {
  return origin() + "/api";
}

std::string FakeTestGorilla::add_assessment(const std::string& name) {
  std::lock_guard lock(mutex_);
  Assessment a;
  a.id = std::to_string(next_assessment_++);
  a.name = name;
  assessments_.push_back(a);
  return a.id;
}

void FakeTestGorilla::add_assessments(int count) {
  for (int i = 1; i <= count; ++i) add_assessment("Assessment " + std::to_string(i));
}

bool FakeTestGorilla::archive(const std::string& assessment_id) {
  std::lock_guard lock(mutex_);
  for (auto& a : assessments_) {
    if (a.id == assessment_id) {
      a.status = "archived";
      return true;
    }
  }
  return false;
}

void FakeTestGorilla::inject(const Fault& fault, int times) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < times; ++i) faults_.push_back(fault);
}

void FakeTestGorilla::set_rate_limiter(bool on) {
  std::lock_guard lock(mutex_);
  options_.rate_limiter = on;
  windows_.clear();
}

void FakeTestGorilla::expire_tokens() {
  std::lock_guard lock(mutex_);
  login_tokens_.clear();
}

bool FakeTestGorilla::start(const std::string& candidature_id) {
  std::lock_guard lock(mutex_);
  auto it = candidatures_.find(candidature_id);
  if (it == candidatures_.end()) return false;
  it->second.status = "started";
  return true;
}

bool FakeTestGorilla::complete(const std::string& candidature_id,
                               const std::vector<TestResult>& results) {
  std::lock_guard lock(mutex_);
  auto it = candidatures_.find(candidature_id);
  if (it == candidatures_.end()) return false;
  it->second.status = "completed";
  it->second.results = results;
  return true;
}

bool FakeTestGorilla::disqualify(const std::string& candidature_id) {
  std::lock_guard lock(mutex_);
  auto it = candidatures_.find(candidature_id);
  if (it == candidatures_.end()) return false;
  it->second.status = "disqualified";
  return true;
}

bool FakeTestGorilla::remove(const std::string& candidature_id) {
  std::lock_guard lock(mutex_);
  return candidatures_.erase(candidature_id) > 0;
}

std::string FakeTestGorilla::add_candidature(const std::string& assessment_id,
                                             const std::string& email) {
  std::lock_guard lock(mutex_);
  return new_candidature_locked(assessment_id, email, "");
}

int FakeTestGorilla::invitations_created() const {
  std::lock_guard lock(mutex_);
  return invitations_;
}

int FakeTestGorilla::logins() const {
  std::lock_guard lock(mutex_);
  return logins_;
}

std::optional<std::string> FakeTestGorilla::candidature_for(const std::string& assessment_id,
                                                            const std::string& email) const {
  std::lock_guard lock(mutex_);
  for (const auto& [id, c] : candidatures_)
    if (c.assessment_id == assessment_id && c.email == lower(email)) return id;
  return std::nullopt;
}

std::optional<Json> FakeTestGorilla::candidature(const std::string& candidature_id) const {
  std::lock_guard lock(mutex_);
  auto it = candidatures_.find(candidature_id);
  if (it == candidatures_.end()) return std::nullopt;
  return candidature_json_locked(it->second);
}

std::vector<RecordedRequest> FakeTestGorilla::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

int FakeTestGorilla::count_requests(const std::string& method, const std::string& path_part) const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(std::count_if(requests_.begin(), requests_.end(), [&](const auto& r) {
    return r.method == method && r.path.find(path_part) != std::string::npos;
  }));
}

// --- request plumbing ----------------------------------------------------------------------

bool FakeTestGorilla::authorized_locked(const net::Request& request) {
  auto value = request.header("Authorization");
  if (!value || value->rfind("Token ", 0) != 0) return false;
  const std::string token = value->substr(6);
  if (token == options_.api_token) return true;
  auto it = login_tokens_.find(token);
  if (it == login_tokens_.end()) return false;
  const auto now = Clock::now();
  if (now - it->second >= options_.token_idle) {  // an hour after its last use
    login_tokens_.erase(it);
    return false;
  }
  it->second = now;
  return true;
}

std::optional<Fault> FakeTestGorilla::take_fault_locked(const std::string& path) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->path_contains.empty() || path.find(it->path_contains) != std::string::npos) {
      Fault f = *it;
      faults_.erase(it);
      return f;
    }
  }
  return std::nullopt;
}

net::Response FakeTestGorilla::api(net::Request& request, const std::string& endpoint,
                                   int limit_per_minute, Handler handler) {
  std::optional<net::Response> early;
  std::optional<Fault> fault;
  int remaining = limit_per_minute;
  int reset_s = 60;
  {
    std::lock_guard lock(mutex_);
    auto& window = windows_[endpoint];
    const auto now = Clock::now();
    while (!window.empty() && now - window.front() >= std::chrono::minutes(1)) window.pop_front();
    if (!window.empty()) {
      reset_s = static_cast<int>(std::ceil(
          std::chrono::duration<double>(window.front() + std::chrono::minutes(1) - now).count()));
    }
    if (!authorized_locked(request)) {
      early = detail(401, "Invalid token.");
    } else if ((fault = take_fault_locked(request.path))) {
      if (fault->kind == Fault::rate_limited) {
        remaining = 0;
        reset_s = fault->reset_s;
        early = detail(429, "Request was throttled.");
      } else if (fault->kind == Fault::server_error) {
        early = detail(fault->status, "injected server error");
      }
    } else if (options_.rate_limiter && static_cast<int>(window.size()) >= limit_per_minute) {
      remaining = 0;
      early = detail(429, "Request was throttled.");
    }
    if (!early) {
      window.push_back(now);
      remaining = std::max(0, limit_per_minute - static_cast<int>(window.size()));
    }
  }
  if (fault && fault->kind == Fault::delay) std::this_thread::sleep_for(fault->pause);
  net::Response response = early ? *early : (this->*handler)(request);
  if (fault && fault->kind == Fault::lost_answer) response = detail(fault->status, "Bad gateway");
  if (fault && fault->kind == Fault::duplicate_rows && response.status == 200) {
    Json body = Json::parse(response.body, nullptr, false);
    if (body.is_object() && body.contains("results") && body["results"].is_array()) {
      Json doubled = Json::array();
      for (const auto& row : body["results"]) {
        doubled.push_back(row);
        doubled.push_back(row);
      }
      body["results"] = doubled;
      response = json_response(200, body);
    }
  }
  response.headers.emplace_back("X-RateLimit-Limit", std::to_string(limit_per_minute));
  response.headers.emplace_back("X-RateLimit-Remaining", std::to_string(remaining));
  response.headers.emplace_back("X-RateLimit-Reset", std::to_string(std::max(reset_s, 0)));
  std::lock_guard lock(mutex_);
  requests_.push_back(
      RecordedRequest{request.method, request.path, request.query, request.body, response.status});
  return response;
}

Json FakeTestGorilla::candidature_json_locked(const Candidature& c) const {
  Json avg = nullptr;
  double sum = 0;
  int n = 0;
  for (const auto& r : c.results)
    if (r.score && (r.algorithm == "basic" || r.algorithm == "custom_questions")) {
      sum += *r.score;
      ++n;
    }
  if (n > 0) avg = std::round(sum / n);
  const std::string uuid = "00000000-0000-4000-8000-" +
                           std::string(12 - std::min<std::size_t>(12, c.id.size()), '0') + c.id;
  return {{"id", std::stol(c.id)},
          {"email", c.email},
          {"full_name", c.full_name},
          {"avg_score", avg},
          {"status", c.status},
          {"stage", "NYE"},
          {"invitation_uuid", uuid},
          {"invitation_link", origin() + "/testtaker/welcome/" + uuid},
          {"created", c.created},
          {"is_hired", false},
          {"test_taker", std::stol(c.test_taker_id)}};
}

std::string FakeTestGorilla::new_candidature_locked(const std::string& assessment_id,
                                                    const std::string& email,
                                                    const std::string& full_name) {
  Candidature c;
  c.id = std::to_string(next_candidature_++);
  c.assessment_id = assessment_id;
  c.email = lower(email);
  c.full_name = full_name;
  c.sequence = ++sequence_;
  c.created = created_at(c.sequence);
  auto tt = test_takers_.find(c.email);
  if (tt == test_takers_.end())
    tt = test_takers_.emplace(c.email, std::to_string(next_test_taker_++)).first;
  c.test_taker_id = tt->second;
  for (auto& a : assessments_)
    if (a.id == assessment_id && a.status == "new") a.status = "active";
  candidatures_[c.id] = c;
  return c.id;
}

// --- API routes ------------------------------------------------------------------------------

net::Response FakeTestGorilla::login(net::Request& request) {
  Json body = Json::parse(request.body, nullptr, false);
  std::lock_guard lock(mutex_);
  net::Response response;
  if (!body.is_object() || body.value("username", "") != options_.username ||
      body.value("password", "") != options_.password) {
    response = json_response(400, {{"non_field_errors",
                                    {"Unable to log in with the provided "
                                     "credentials."}}});
  } else {
    std::string token = "tg-login-token-" + std::to_string(++logins_);
    login_tokens_[token] = Clock::now();
    response = json_response(200, {{"token", token}});
  }
  requests_.push_back(RecordedRequest{request.method, request.path, request.query, "(credentials)",
                                      response.status});
  return response;
}

net::Response FakeTestGorilla::list_assessments(net::Request& request) {
  std::vector<std::string> wanted;
  const std::string status = query(request, "status");
  for (std::size_t at = 0; !status.empty() && at <= status.size();) {
    std::size_t comma = status.find(',', at);
    if (comma == std::string::npos) comma = status.size();
    wanted.push_back(status.substr(at, comma - at));
    at = comma + 1;
  }
  std::lock_guard lock(mutex_);
  std::vector<Json> rows;
  for (const auto& a : assessments_) {
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), a.status) == wanted.end())
      continue;
    int invited = 0, started = 0, finished = 0;
    for (const auto& [id, c] : candidatures_) {
      if (c.assessment_id != a.id) continue;
      invited += c.status == "invited";
      started += c.status == "started";
      finished += c.status == "completed";
    }
    const int total = invited + started + finished;
    rows.push_back({{"id", std::stol(a.id)},
                    {"name", a.name},
                    {"candidates", total},
                    {"invited", invited},
                    {"started", started},
                    {"finished", finished},
                    {"status", a.status},
                    {"finished_percentage", total ? finished * 100 / total : 0},
                    {"modified", "2026-01-01T09:00:00+00:00"}});
  }
  return json_response(200, page_of(rows, request, base_url() + "/assessments/"));
}

net::Response FakeTestGorilla::invite(net::Request& request) {
  const std::string assessment_id = request.params["id"];
  Json body = Json::parse(request.body, nullptr, false);
  if (!body.is_object() || !body.contains("email") || !body["email"].is_string() ||
      body["email"].get<std::string>().find('@') == std::string::npos)
    return json_response(400, {{"email", {"Enter a valid email address."}}});
  const std::string email = lower(body["email"].get<std::string>());
  std::lock_guard lock(mutex_);
  auto a = std::find_if(assessments_.begin(), assessments_.end(),
                        [&](const Assessment& x) { return x.id == assessment_id; });
  if (a == assessments_.end()) return detail(404, "Not found.");
  if (a->status == "archived")
    return detail(400, "The assessment is archived; candidates cannot be invited.");
  for (const auto& [id, c] : candidatures_)
    if (c.assessment_id == assessment_id && c.email == email)
      return json_response(400, {{"email",
                                  {"This candidate was already invited to this "
                                   "assessment."}}});
  std::string full_name = body.value("first_name", "");
  if (std::string last = body.value("last_name", ""); !last.empty())
    full_name += (full_name.empty() ? "" : " ") + last;
  std::string id = new_candidature_locked(assessment_id, email, full_name);
  ++invitations_;
  return json_response(201, {{"id", std::stol(id)}, {"email", email}, {"status", "invited"}});
}

net::Response FakeTestGorilla::list_candidatures(net::Request& request) {
  const std::string assessment_id = query(request, "assessment");
  if (assessment_id.empty())
    return json_response(400, {{"assessment", {"This field is required."}}});
  const std::string status = query(request, "status");
  const std::string ordering = query(request, "ordering");
  const std::string search = lower(query(request, "search"));  // name or e-mail, as the UI's
  std::lock_guard lock(mutex_);
  std::vector<const Candidature*> picked;
  for (const auto& [id, c] : candidatures_)
    if (c.assessment_id == assessment_id && (status.empty() || c.status == status) &&
        (search.empty() || c.email.find(search) != std::string::npos ||
         lower(c.full_name).find(search) != std::string::npos))
      picked.push_back(&c);
  std::sort(picked.begin(), picked.end(), [&](const Candidature* x, const Candidature* y) {
    if (ordering == "-created") return x->sequence > y->sequence;
    if (ordering == "created") return x->sequence < y->sequence;
    return std::stol(x->id) < std::stol(y->id);  // default: by id
  });
  std::vector<Json> rows;
  for (const auto* c : picked) rows.push_back(candidature_json_locked(*c));
  return json_response(200, page_of(rows, request, base_url() + "/assessments/candidature/"));
}

net::Response FakeTestGorilla::list_results(net::Request& request) {
  const std::string assessment_id = query(request, "candidature__assessment");
  const std::string test_taker = query(request, "candidature__test_taker");
  if (assessment_id.empty() || test_taker.empty())
    return json_response(400, {{"detail",
                                "candidature__assessment and candidature__test_taker "
                                "are required"}});
  std::lock_guard lock(mutex_);
  std::vector<Json> rows;
  for (const auto& [id, c] : candidatures_) {
    if (c.assessment_id != assessment_id || c.test_taker_id != test_taker) continue;
    long test_id = 7000;
    for (const auto& r : c.results) {
      rows.push_back({{"id", next_result_++},
                      {"name", r.name},
                      {"score", r.score ? Json(*r.score) : Json(nullptr)},
                      {"status", "filed"},
                      {"completed", c.status == "completed"},
                      {"test_id", ++test_id},
                      {"custom_questions", Json::array()},
                      {"algorithm", r.algorithm},
                      {"is_code_test", false},
                      {"score_display", r.score_display}});
    }
  }
  return json_response(200, page_of(rows, request, base_url() + "/assessments/results/"));
}

net::Response FakeTestGorilla::delete_candidature(net::Request& request) {
  std::lock_guard lock(mutex_);
  if (candidatures_.erase(request.params["id"]) == 0) return detail(404, "Not found.");
  net::Response r;
  r.status = 204;
  return r;
}

}  // namespace ttb::fakes::testgorilla
