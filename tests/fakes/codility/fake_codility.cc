#include "fakes/codility/fake_codility.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <thread>

#include "net/router.h"

namespace ttb::fakes::codility {

namespace {

using Json = nlohmann::json;

constexpr const char* kApi = "/api";
constexpr auto kHour = std::chrono::hours(1);

net::Response json_response(int status, const Json& body) {
  return net::Response::json(status, body.dump(-1, ' ', false, Json::error_handler_t::replace));
}

net::Response detail(int status, const std::string& text) {
  return json_response(status, {{"detail", text}});
}

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int query_int(const net::Request& r, const char* name, int fallback) {
  auto it = r.query.find(name);
  if (it == r.query.end() || it->second.empty() || it->second.size() > 9 ||
      it->second.find_first_not_of("0123456789") != std::string::npos)
    return fallback;
  return std::stoi(it->second);
}

Json or_null(const std::string& s) {
  return s.empty() ? Json(nullptr) : Json(s);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
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

Fault Fault::answer(int status, std::string body) {
  Fault f;
  f.kind = raw;
  f.status = status;
  f.body = std::move(body);
  return f;
}

Fault Fault::slow(std::chrono::milliseconds pause) {
  Fault f;
  f.kind = delay;
  f.pause = pause;
  return f;
}

Fault Fault::lose_answer(int status) {
  Fault f;
  f.kind = lost_answer;
  f.status = status;
  return f;
}

FakeCodility::FakeCodility(FakeCodilityOptions options)
    : options_(std::move(options)), client_(net::make_http_client()) {
  auto router = std::make_shared<net::Router>();
  const std::string base = kApi;
  auto route = [this, &router](const char* method, const std::string& pattern,
                               net::Response (FakeCodility::*handler)(net::Request&)) {
    router->add(method, pattern, [this, handler](net::Request& r) { return api(r, handler); });
  };
  route("GET", base + "/tests/", &FakeCodility::list_tests);
  route("POST", base + "/tests/{test_id}/invite/", &FakeCodility::invite);
  route("GET", base + "/tests/{test_id}/sessions/", &FakeCodility::list_test_sessions);
  route("GET", base + "/sessions/", &FakeCodility::list_sessions);
  route("GET", base + "/sessions/{session_id}/", &FakeCodility::get_session);
  // The links we hand out (reports, PDFs) resolve to something, without auth.
  router->add("GET", "/reports/{file}", [this](net::Request& r) { return report_file(r); });

  net::ServerOptions server_options;
  server_options.host = "127.0.0.1";
  server_options.port = options_.port;
  server_options.threads = 8;
  server_ = net::make_http_server(server_options, router, {});
  server_->start();
}

FakeCodility::~FakeCodility() {
  server_->stop(std::chrono::milliseconds(200));
}

unsigned short FakeCodility::port() const {
  return server_->port();
}
std::string FakeCodility::origin() const {
  return "http://127.0.0.1:" + std::to_string(port());
}
std::string FakeCodility::base_url() const {
  return origin() + kApi;
}

void FakeCodility::add_test(TestSpec test) {
  std::lock_guard lock(mutex_);
  tests_.push_back(std::move(test));
}

void FakeCodility::add_tests(int count, const std::string& id_prefix) {
  std::lock_guard lock(mutex_);
  for (int i = 1; i <= count; ++i)
    tests_.push_back(TestSpec{id_prefix + std::to_string(i), "Test " + std::to_string(i), false});
}

void FakeCodility::inject(const Fault& fault, int times) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < times; ++i) faults_.push_back(fault);
}

void FakeCodility::clear_faults() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

void FakeCodility::set_auto_callbacks(bool on) {
  std::lock_guard lock(mutex_);
  auto_callbacks_ = on;
}

// --- request plumbing ----------------------------------------------------------------------

std::optional<net::Response> FakeCodility::over_hourly_limit() {
  // Called with the lock held.
  if (options_.hourly_limit <= 0) return std::nullopt;
  auto now = std::chrono::steady_clock::now();
  if (now - window_start_ >= kHour) {
    window_start_ = now;
    window_count_ = 0;
  }
  if (++window_count_ <= options_.hourly_limit) return std::nullopt;
  auto left = std::chrono::duration_cast<std::chrono::seconds>(window_start_ + kHour - now);
  net::Response r = detail(429, "Request was throttled.");
  r.headers.emplace_back("Retry-After", std::to_string(std::max<long long>(1, left.count())));
  return r;
}

std::optional<int> FakeCodility::take_lost_answer() {
  std::lock_guard lock(mutex_);
  if (faults_.empty() || faults_.front().kind != Fault::lost_answer) return std::nullopt;
  int status = faults_.front().status;
  faults_.pop_front();
  return status;
}

std::optional<net::Response> FakeCodility::take_fault() {
  std::optional<Fault> fault;
  {
    std::lock_guard lock(mutex_);
    if (!faults_.empty()) {
      fault = faults_.front();
      faults_.pop_front();
    } else if (auto limited = over_hourly_limit()) {
      return limited;
    }
  }
  if (!fault) return std::nullopt;
  switch (fault->kind) {
    case Fault::delay:
      std::this_thread::sleep_for(fault->pause);
      return std::nullopt;
    case Fault::server_error:
    case Fault::lost_answer:  // taken by take_lost_answer() first; never here
      return detail(fault->status, "injected server error");
    case Fault::raw:
      return net::Response::json(fault->status, fault->body);
    case Fault::rate_limited: {
      net::Response r = detail(429, "Request was throttled.");
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

net::Response FakeCodility::api(net::Request& request,
                                net::Response (FakeCodility::*handler)(net::Request&)) {
  net::Response response;
  auto auth = request.header("Authorization");
  if (!auth || *auth != "Bearer " + options_.api_token) {
    response = detail(401, "Invalid token.");
  } else if (auto lost = take_lost_answer()) {
    (this->*handler)(request);
    response = detail(*lost, "upstream timed out");
  } else if (auto fault = take_fault()) {
    response = *fault;
  } else {
    response = (this->*handler)(request);
  }
  std::lock_guard lock(mutex_);
  requests_.push_back(RecordedRequest{request.method, request.path, request.query, request.headers,
                                      request.body, response.status});
  return response;
}

FakeCodility::Session* FakeCodility::find_locked(const std::string& session_id) {
  for (auto& s : sessions_)
    if (s.id == session_id) return &s;
  return nullptr;
}

Json FakeCodility::to_json(const Session& s) const {
  Json evaluation = nullptr;
  if (s.evaluated) {
    double result = 0, max = 0;
    Json tasks = Json::array();
    for (const auto& t : s.tasks) {
      result += t.result;
      max += t.max_result;
      tasks.push_back({{"task_name", t.name},
                       {"name", t.name},
                       {"prg_lang", t.prg_lang},
                       {"result", t.result},
                       {"max_result", t.max_result}});
    }
    evaluation = {{"result", result}, {"max_result", max}, {"tasks", tasks}};
  }
  const std::string url = base_url() + "/sessions/" + s.id + "/";
  return {{"id", s.id},
          {"url", url},
          {"candidate", s.candidate},
          {"first_name", s.first_name},
          {"last_name", s.last_name},
          {"email", s.email},
          {"create_date", s.create_date},
          {"start_date", or_null(s.start_date)},
          {"close_date", or_null(s.close_date)},
          {"test_link", s.test_link},
          {"report_link", or_null(s.report_link)},
          {"pdf_report_url", or_null(s.pdf_report_url)},
          {"feedback_link", nullptr},
          {"cancel_url", origin() + "/sessions/" + s.id + "/cancel/"},
          {"campaign_url", nullptr},
          {"similarity", or_null(s.similarity)},
          {"evaluation", evaluation},
          {"candidate_data", {{"additional_data", s.additional_data}}}};
}

// DRF-style paging: ?page=N (1-based), {count, next, previous, results}.
net::Response FakeCodility::page_of(const net::Request& request, const std::vector<Json>& items,
                                    const std::string& path) const {
  const int size = std::max(1, options_.page_size);
  const int total = static_cast<int>(items.size());
  const int page = std::max(1, query_int(request, "page", 1));
  Json results = Json::array();
  for (int i = (page - 1) * size; i < std::min(total, page * size); ++i)
    results.push_back(items[i]);
  // The other query parameters carry over into the links, as DRF does.
  auto link = [&](int at) {
    std::string url = base_url() + path + "?page=" + std::to_string(at);
    for (const auto& [k, v] : request.query)
      if (k != "page") url += "&" + k + "=" + v;
    return url;
  };
  return json_response(200, {{"count", total},
                             {"next", page * size < total ? Json(link(page + 1)) : Json(nullptr)},
                             {"previous", page > 1 ? Json(link(page - 1)) : Json(nullptr)},
                             {"results", results}});
}

// --- API routes ------------------------------------------------------------------------------

net::Response FakeCodility::list_tests(net::Request& request) {
  std::optional<bool> archived;
  if (auto it = request.query.find("is_archived"); it != request.query.end())
    archived = lower(it->second) == "true";
  std::vector<Json> items;
  std::lock_guard lock(mutex_);
  for (const auto& t : tests_) {
    if (archived && *archived != t.archived) continue;
    items.push_back({{"id", t.id},
                     {"url", base_url() + "/tests/" + t.id + "/"},
                     {"name", t.name},
                     {"create_date", "2025-01-01T00:00:00Z"},
                     {"is_archived", t.archived},
                     {"public_test_link", origin() + "/public/" + t.id + "/"},
                     {"invite_url", base_url() + "/tests/" + t.id + "/invite/"},
                     {"sessions_url", base_url() + "/tests/" + t.id + "/sessions/"}});
  }
  return page_of(request, items, "/tests/");
}

net::Response FakeCodility::invite(net::Request& request) {
  const std::string test_id = request.params["test_id"];
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return detail(400, "The body must be a JSON object");
  auto candidates = body.find("candidates");
  if (candidates == body.end() || !candidates->is_array() || candidates->empty())
    return json_response(400, {{"candidates", {"This field is required."}}});
  for (const Json& c : *candidates)
    if (!c.is_object() || c.value("email", "").find('@') == std::string::npos)
      return json_response(400, {{"candidates", {"Enter a valid email address."}}});
  std::map<std::string, std::string> callbacks;
  if (auto it = body.find("event_callbacks"); it != body.end()) {
    if (!it->is_array()) return json_response(400, {{"event_callbacks", {"Expected a list."}}});
    for (const Json& cb : *it) {
      if (!cb.is_object() || cb.value("url", "").rfind("http", 0) != 0 ||
          (cb.value("event", "") != "result" && cb.value("event", "") != "similarity"))
        return json_response(400, {{"event_callbacks", {"Invalid event callback."}}});
      callbacks[cb.value("event", "")] = cb.value("url", "");
    }
  }
  std::lock_guard lock(mutex_);
  const TestSpec* test = nullptr;
  for (const auto& t : tests_)
    if (t.id == test_id) test = &t;
  if (test == nullptr) return detail(404, "Not found.");
  if (test->archived) return detail(400, "This test is archived.");

  Json answer = {{"candidates", Json::array()}};
  for (const Json& c : *candidates) {
    Session s;
    s.id = "CS" + std::to_string(next_session_++) + "-QX";
    s.test_id = test_id;
    s.candidate = c.contains("id") && c["id"].is_string() ? c["id"].get<std::string>() : "";
    s.first_name = c.value("first_name", "");
    s.last_name = c.value("last_name", "");
    s.email = c.value("email", "");
    s.additional_data = c.value("additional_data", "");
    s.create_date = now_iso();
    s.test_link = origin() + "/c/" + s.id + "/";
    s.callbacks = callbacks;
    answer["candidates"].push_back({{"id", s.candidate},
                                    {"test_link", s.test_link},
                                    {"session_url", base_url() + "/sessions/" + s.id + "/"}});
    sessions_.push_back(std::move(s));
  }
  invite_bodies_.push_back(body);
  return json_response(200, answer);
}

net::Response FakeCodility::list_test_sessions(net::Request& request) {
  const std::string test_id = request.params["test_id"];
  std::optional<std::string> candidate;
  if (auto it = request.query.find("candidate");
      it != request.query.end() && options_.filter_by_candidate)
    candidate = it->second;
  std::vector<Json> items;
  std::lock_guard lock(mutex_);
  bool known = false;
  for (const auto& t : tests_) known = known || t.id == test_id;
  if (!known) return detail(404, "Not found.");
  for (const auto& s : sessions_)
    if (s.test_id == test_id && !s.removed && (!candidate || s.candidate == *candidate))
      items.push_back(to_json(s));
  return page_of(request, items, "/tests/" + test_id + "/sessions/");
}

net::Response FakeCodility::list_sessions(net::Request& request) {
  std::vector<Json> items;
  std::lock_guard lock(mutex_);
  for (const auto& s : sessions_)
    if (!s.removed) items.push_back(to_json(s));
  return page_of(request, items, "/sessions/");
}

net::Response FakeCodility::get_session(net::Request& request) {
  std::lock_guard lock(mutex_);
  Session* s = find_locked(request.params["session_id"]);
  if (s == nullptr) return detail(404, "Not found.");
  if (s->removed) return detail(410, "This session was deleted.");
  return json_response(200, to_json(*s));
}

net::Response FakeCodility::report_file(net::Request& request) {
  const std::string file = request.params["file"];
  if (file.ends_with(".pdf")) {
    net::Response r;
    r.content_type = "application/pdf";
    r.body = "%PDF-1.4\n% fake Codility report\n%%EOF\n";
    return r;
  }
  net::Response r = net::Response::text(200, "<html><body>Fake Codility report</body></html>");
  r.content_type = "text/html; charset=utf-8";
  return r;
}

// --- control -----------------------------------------------------------------------------------

bool FakeCodility::start(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  Session* s = find_locked(session_id);
  if (s == nullptr) return false;
  if (s->start_date.empty()) s->start_date = now_iso();
  return true;
}

bool FakeCodility::close(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  Session* s = find_locked(session_id);
  if (s == nullptr) return false;
  if (s->close_date.empty()) s->close_date = now_iso();
  return true;
}

bool FakeCodility::evaluate(const std::string& session_id, const std::vector<TaskResult>& tasks) {
  bool send = false;
  {
    std::lock_guard lock(mutex_);
    Session* s = find_locked(session_id);
    if (s == nullptr) return false;
    if (s->start_date.empty()) s->start_date = now_iso();
    if (s->close_date.empty()) s->close_date = now_iso();
    s->tasks = tasks;
    s->evaluated = true;
    s->report_link = origin() + "/reports/" + s->id + ".html";
    s->pdf_report_url = origin() + "/reports/" + s->id + ".pdf";
    send = auto_callbacks_ && s->callbacks.count("result");
  }
  if (send) send_callback(session_id, "result");
  return true;
}

bool FakeCodility::set_similarity(const std::string& session_id, const std::string& similarity) {
  bool send = false;
  {
    std::lock_guard lock(mutex_);
    Session* s = find_locked(session_id);
    if (s == nullptr) return false;
    s->similarity = similarity;
    send = auto_callbacks_ && s->callbacks.count("similarity");
  }
  if (send) send_callback(session_id, "similarity");
  return true;
}

bool FakeCodility::remove(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  Session* s = find_locked(session_id);
  if (s == nullptr) return false;
  s->removed = true;
  return true;
}

// --- callbacks ---------------------------------------------------------------------------------

std::optional<Delivery> FakeCodility::send_callback(const std::string& session_id,
                                                    const std::string& event) {
  std::string url, body;
  {
    std::lock_guard lock(mutex_);
    Session* s = find_locked(session_id);
    if (s == nullptr) return std::nullopt;
    auto it = s->callbacks.find(event);
    if (it == s->callbacks.end()) return std::nullopt;
    url = it->second;
    body = Json{{"event", event}, {"session", to_json(*s)}}.dump(-1, ' ', false,
                                                                 Json::error_handler_t::replace);
  }
  // Sent without the lock: the receiver calls back into this fake (it re-reads the session).
  return post(url, body);
}

Delivery FakeCodility::post(const std::string& url, const std::string& body) {
  net::ClientRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {{"Content-Type", "application/json"},
                     {"User-Agent", "Codility-Callback/1.0 (fake)"}};
  request.body = body;
  request.timeout = std::chrono::milliseconds(10000);
  net::ClientResponse response = client_->send(request);
  Delivery d{url, body, response.status, response.body, response.error};
  std::lock_guard lock(mutex_);
  deliveries_.push_back(d);
  return d;
}

std::optional<std::string> FakeCodility::callback_url(const std::string& session_id,
                                                      const std::string& event) const {
  std::lock_guard lock(mutex_);
  for (const auto& s : sessions_) {
    if (s.id != session_id) continue;
    auto it = s.callbacks.find(event);
    if (it == s.callbacks.end()) return std::nullopt;
    return it->second;
  }
  return std::nullopt;
}

std::vector<Delivery> FakeCodility::deliveries() const {
  std::lock_guard lock(mutex_);
  return deliveries_;
}

// --- observations ------------------------------------------------------------------------------

int FakeCodility::invitations_created() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(sessions_.size());
}

std::vector<Json> FakeCodility::invite_bodies() const {
  std::lock_guard lock(mutex_);
  return invite_bodies_;
}

std::optional<Json> FakeCodility::session(const std::string& session_id) const {
  std::lock_guard lock(mutex_);
  for (const auto& s : sessions_)
    if (s.id == session_id) return to_json(s);
  return std::nullopt;
}

std::vector<std::string> FakeCodility::session_ids_for(const std::string& candidate) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& s : sessions_)
    if (s.candidate == candidate) out.push_back(s.id);
  return out;
}

std::vector<RecordedRequest> FakeCodility::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

int FakeCodility::requests_to(const std::string& method, const std::string& path_prefix) const {
  std::lock_guard lock(mutex_);
  int n = 0;
  for (const auto& r : requests_) n += r.method == method && r.path.rfind(path_prefix, 0) == 0;
  return n;
}

}  // namespace ttb::fakes::codility
