#include "fake_checkr.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <thread>

#include "webhook_sender.h"
#include "wire.h"

namespace ttb::fakes::checkr {
namespace {

using nlohmann::json;

constexpr std::int64_t kFixedNowMs = 1740823200000;  // 2025-03-01T10:00:00Z
constexpr std::int64_t kInvitationLifetimeMs = 7LL * 24 * 3600 * 1000;
// A tiny but well-formed PDF, served as the report document.
constexpr const char* kPdf =
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count "
    "1>>endobj\n"
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 "
    "R>>\n%%EOF\n";

net::Response json_response(int status, const json& body) {
  return net::Response::json(status, body.dump());
}
net::Response error_response(int status, const std::string& message) {
  return json_response(status, json{{"error", message}});
}

std::string make_id(const char* prefix, int& counter) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s_%06d", prefix, ++counter);
  return buf;
}

// County and state searches are lists on a report (county_criminal_search_ids /
// county_criminal_searches); the other screenings are single objects (ssn_trace_id / ssn_trace).
bool is_list_screening(const std::string& type) {
  return type == "county_criminal_search" || type == "state_criminal_search";
}
std::string include_name(const std::string& type) {
  return is_list_screening(type) ? type + "es" : type;
}

std::set<std::string> split_csv(const std::string& s) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto comma = s.find(',', start);
    std::string item =
        s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.insert(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// A paged list reply: {object:"list", data, count, next_href, previous_href}.
json page_of(const std::vector<json>& all, const std::map<std::string, std::string>& query,
             const std::string& path) {
  int page = 1, per_page = 25;
  if (auto it = query.find("page"); it != query.end())
    page = std::max(1, std::atoi(it->second.c_str()));
  if (auto it = query.find("per_page"); it != query.end())
    per_page = std::clamp(std::atoi(it->second.c_str()), 1, 100);
  json data = json::array();
  std::size_t begin = static_cast<std::size_t>(page - 1) * static_cast<std::size_t>(per_page);
  for (std::size_t i = begin; i < all.size() && i < begin + static_cast<std::size_t>(per_page); ++i)
    data.push_back(all[i]);
  auto href = [&](int p) {
    return "/v1" + path + "?page=" + std::to_string(p) + "&per_page=" + std::to_string(per_page);
  };
  return json{
      {"object", "list"},
      {"data", data},
      {"count", all.size()},
      {"next_href", begin + static_cast<std::size_t>(per_page) < all.size() ? json(href(page + 1))
                                                                            : json(nullptr)},
      {"previous_href", page > 1 ? json(href(page - 1)) : json(nullptr)}};
}

json null_or(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

}  // namespace

struct FakeCheckr::State {
  mutable std::mutex mu;
  std::vector<Package> packages;
  std::map<std::string, json> candidates, invitations, reports, documents;
  std::map<std::string, std::vector<json>> screenings;  // report id → its screenings, in order
  std::map<std::string, net::Response> replays;         // "POST /path|key" → first answer
  std::deque<Fault> faults;
  std::vector<RecordedRequest> requests;
  int candidate_seq = 0, invitation_seq = 0, report_seq = 0, document_seq = 0, screening_seq = 0,
      event_seq = 0;
  // created_at of the last event: each event is stamped at least a second after the one before,
  // as Checkr's are when they happen one after another, even under the fixed test clock.
  std::int64_t last_event_ms = 0;
  int invitations_created = 0, candidates_created = 0;
  // Presigned download links handed out (token → document, expiry), as Checkr's 15-minute
  // download_uri: every view of a document issues a fresh one.
  struct DownloadLink {
    std::string document_id;
    std::int64_t expires_ms = 0;
  };
  mutable std::map<std::string, DownloadLink> downloads;
  mutable int download_seq = 0;
  std::function<std::int64_t()> now_ms;
  std::int64_t download_link_ttl_ms = 0;

  // A document as the API shows it now: with a freshly issued download link.
  json document_view(const std::string& doc_id) const {
    json doc = documents.at(doc_id);
    const std::string token = make_id("dl", download_seq);
    downloads[token] = DownloadLink{doc_id, now_ms() + download_link_ttl_ms};
    doc["download_uri"] = doc.value("download_uri", "") + "?token=" + token;
    return doc;
  }

  const Package* package(const std::string& slug) const {
    for (const auto& p : packages)
      if (p.slug == slug && !p.deleted) return &p;
    return nullptr;
  }

  json package_json(const Package& p) const {
    json screens = json::array();
    for (const auto& s : p.screenings)
      screens.push_back(json{{"type", s.type}, {"subtype", null_or(s.subtype)}});
    return json{{"id", "pkg_" + p.slug},
                {"object", "package"},
                {"name", p.name},
                {"slug", p.slug},
                {"price", p.price_cents},
                {"screenings", screens},
                {"apply_url", nullptr},
                {"created_at", "2025-01-01T00:00:00Z"},
                {"deleted_at", p.deleted ? json("2025-02-01T00:00:00Z") : json(nullptr)}};
  }

  // The report as GET /reports/{id} shows it, with the includes asked for.
  json report_view(const std::string& id, const std::set<std::string>& includes,
                   bool embed_documents) const {
    json r = reports.at(id);
    json document_ids = json::array();
    for (const auto& [doc_id, doc] : documents)
      if (doc.value("report_id", "") == id) document_ids.push_back(doc_id);
    r["document_ids"] = document_ids;
    bool includes_canceled = false;
    for (const auto& s : screenings.at(id)) {
      std::string type = s.at("object");
      if (s.at("status") == "canceled") includes_canceled = true;
      if (is_list_screening(type)) {
        r[type + "_ids"].push_back(s.at("id"));
        if (includes.count(include_name(type))) r[include_name(type)].push_back(s);
      } else {
        r[type + "_id"] = s.at("id");
        if (includes.count(type)) r[type] = s;
      }
    }
    r["includes_canceled"] = includes_canceled;
    if (includes.count("candidate"))
      r["candidate"] = candidates.at(r.at("candidate_id").get<std::string>());
    if (includes.count("documents") && embed_documents) {
      r["documents"] = json::array();
      for (const auto& doc_id : document_ids)
        r["documents"].push_back(document_view(doc_id.get<std::string>()));
    }
    return r;
  }

  std::set<std::string> all_includes(const std::string& report_id) const {
    std::set<std::string> inc{"candidate", "documents"};
    for (const auto& s : screenings.at(report_id)) inc.insert(include_name(s.at("object")));
    return inc;
  }
};

FakeCheckr::FakeCheckr(FakeCheckrOptions options)
    : options_(std::move(options)), state_(std::make_unique<State>()) {
  if (!options_.now_ms) options_.now_ms = [] { return kFixedNowMs; };
  state_->now_ms = options_.now_ms;
  state_->download_link_ttl_ms = options_.download_link_ttl.count();
  state_->packages = {
      Package{
          "basic_criminal",
          "Basic Criminal",
          {{"ssn_trace", ""}, {"sex_offender_search", ""}, {"county_criminal_search", "7years"}}},
      Package{"driver_pro", "Driver Pro", {{"ssn_trace", ""}, {"motor_vehicle_report", ""}}},
  };
  auto router = std::make_shared<net::Router>();
  add_routes(*router);
  net::ServerOptions so;
  so.host = "127.0.0.1";
  so.port = options_.port;
  so.threads = 4;
  server_ = net::make_http_server(so, router, {});
  server_->start();
  port_ = server_->port();
}

FakeCheckr::~FakeCheckr() {
  server_->stop(std::chrono::milliseconds(500));
}

unsigned short FakeCheckr::port() const {
  return port_;
}
std::string FakeCheckr::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
}

void FakeCheckr::set_packages(std::vector<Package> packages) {
  std::lock_guard lock(state_->mu);
  state_->packages = std::move(packages);
}
void FakeCheckr::add_package(Package package) {
  std::lock_guard lock(state_->mu);
  state_->packages.push_back(std::move(package));
}

// ---- control ----------------------------------------------------------------------------------

std::string FakeCheckr::complete_invitation(const std::string& invitation_id) {
  std::lock_guard lock(state_->mu);
  auto it = state_->invitations.find(invitation_id);
  if (it == state_->invitations.end() || it->second["status"] != "pending") return {};
  json& inv = it->second;
  const std::string now = iso_time(options_.now_ms());
  std::string report_id = make_id("rpt", state_->report_seq);
  inv["status"] = "completed";
  inv["completed_at"] = now;
  inv["report_id"] = report_id;
  state_->reports[report_id] = json{{"id", report_id},
                                    {"object", "report"},
                                    {"uri", "/v1/reports/" + report_id},
                                    {"status", "pending"},
                                    {"result", nullptr},
                                    {"adjudication", nullptr},
                                    {"assessment", nullptr},
                                    {"package", inv["package"]},
                                    {"candidate_id", inv["candidate_id"]},
                                    {"created_at", now},
                                    {"completed_at", nullptr},
                                    {"estimated_completion_time", nullptr},
                                    {"turnaround_time", nullptr},
                                    {"tags", inv["tags"]}};
  auto& list = state_->screenings[report_id];
  if (const Package* p = state_->package(inv["package"].get<std::string>())) {
    for (const auto& s : p->screenings) {
      json screening{{"id", make_id("scr", state_->screening_seq)},
                     {"object", s.type},
                     {"status", "pending"},
                     {"result", nullptr},
                     {"assessment", nullptr},
                     {"cancellation_reason", nullptr},
                     {"cancellation_reason_description", nullptr}};
      if (s.type == "county_criminal_search") {
        screening["county"] = "San Francisco";
        screening["state"] = "CA";
      }
      list.push_back(std::move(screening));
    }
  }
  return report_id;
}

bool FakeCheckr::expire_invitation(const std::string& invitation_id) {
  std::lock_guard lock(state_->mu);
  auto it = state_->invitations.find(invitation_id);
  if (it == state_->invitations.end() || it->second["status"] != "pending") return false;
  it->second["status"] = "expired";
  return true;
}

bool FakeCheckr::update_report(const std::string& report_id, const ReportChange& change) {
  std::lock_guard lock(state_->mu);
  auto it = state_->reports.find(report_id);
  if (it == state_->reports.end()) return false;
  json& r = it->second;
  if (change.result) r["result"] = null_or(*change.result);
  if (change.assessment) r["assessment"] = null_or(*change.assessment);
  if (change.adjudication) r["adjudication"] = null_or(*change.adjudication);
  if (change.status) {
    r["status"] = *change.status;
    if (*change.status == "complete") {
      r["completed_at"] = iso_time(options_.now_ms());
      bool consider_given = false;
      for (auto& s : state_->screenings[report_id]) {
        if (s["status"] != "pending") continue;
        s["status"] = "complete";
        bool consider = r["result"] == "consider" && !consider_given;
        s["result"] = consider ? "consider" : "clear";
        consider_given = consider_given || consider;
      }
      bool has_pdf = false;
      for (const auto& [id, doc] : state_->documents)
        has_pdf = has_pdf || doc.value("report_id", "") == report_id;
      if (!has_pdf) {
        std::string doc_id = make_id("doc", state_->document_seq);
        state_->documents[doc_id] =
            json{{"id", doc_id},
                 {"object", "document"},
                 {"type", "pdf_report"},
                 {"filename", "report_" + report_id + ".pdf"},
                 {"content_type", "application/pdf"},
                 {"filesize", std::string(kPdf).size()},
                 {"report_id", report_id},
                 {"download_uri", base_url() + "/documents/" + doc_id + "/download"}};
      }
    }
  }
  return true;
}

bool FakeCheckr::cancel_report(const std::string& report_id) {
  {
    std::lock_guard lock(state_->mu);
    auto it = state_->screenings.find(report_id);
    if (it == state_->screenings.end()) return false;
    for (auto& s : it->second)
      if (s["status"] == "pending") s["status"] = "canceled";
  }
  return update_report(
      report_id, ReportChange{std::string("canceled"), std::nullopt, std::nullopt, std::nullopt});
}

bool FakeCheckr::dispute_report(const std::string& report_id) {
  {
    std::lock_guard lock(state_->mu);
    auto it = state_->reports.find(report_id);
    if (it == state_->reports.end() || it->second["status"] != "complete") return false;
  }
  return update_report(
      report_id, ReportChange{std::string("dispute"), std::nullopt, std::nullopt, std::nullopt});
}

bool FakeCheckr::set_screening(const std::string& report_id, const std::string& type,
                               const std::string& status, const std::string& result,
                               const std::string& cancellation_reason) {
  std::lock_guard lock(state_->mu);
  auto it = state_->screenings.find(report_id);
  if (it == state_->screenings.end()) return false;
  for (auto& s : it->second) {
    if (s["object"] != type) continue;
    s["status"] = status;
    s["result"] = null_or(result);
    s["cancellation_reason"] = null_or(cancellation_reason);
    s["cancellation_reason_description"] =
        cancellation_reason.empty() ? json(nullptr) : json("Canceled by the fake");
    return true;
  }
  return false;
}

void FakeCheckr::inject(Fault fault) {
  std::lock_guard lock(state_->mu);
  state_->faults.push_back(std::move(fault));
}
void FakeCheckr::clear_faults() {
  std::lock_guard lock(state_->mu);
  state_->faults.clear();
}

// ---- inspection -------------------------------------------------------------------------------

std::vector<RecordedRequest> FakeCheckr::requests() const {
  std::lock_guard lock(state_->mu);
  return state_->requests;
}
int FakeCheckr::invitations_created() const {
  std::lock_guard lock(state_->mu);
  return state_->invitations_created;
}
int FakeCheckr::candidates_created() const {
  std::lock_guard lock(state_->mu);
  return state_->candidates_created;
}
std::optional<json> FakeCheckr::candidate(const std::string& id) const {
  std::lock_guard lock(state_->mu);
  auto it = state_->candidates.find(id);
  return it == state_->candidates.end() ? std::nullopt : std::optional<json>(it->second);
}
std::optional<json> FakeCheckr::invitation(const std::string& id) const {
  std::lock_guard lock(state_->mu);
  auto it = state_->invitations.find(id);
  return it == state_->invitations.end() ? std::nullopt : std::optional<json>(it->second);
}
std::optional<json> FakeCheckr::report(const std::string& id) const {
  std::lock_guard lock(state_->mu);
  if (!state_->reports.count(id)) return std::nullopt;
  return state_->report_view(id, state_->all_includes(id), true);
}
std::vector<std::string> FakeCheckr::invitation_ids() const {
  std::lock_guard lock(state_->mu);
  std::vector<std::string> ids;
  for (const auto& [id, inv] : state_->invitations) ids.push_back(id);
  return ids;
}

// ---- events -----------------------------------------------------------------------------------

json FakeCheckr::event(const std::string& type, json object) {
  std::lock_guard lock(state_->mu);
  const std::int64_t created_ms = std::max(options_.now_ms(), state_->last_event_ms + 1000);
  state_->last_event_ms = created_ms;
  return json{{"id", make_id("evt", state_->event_seq)},
              {"object", "event"},
              {"type", type},
              {"created_at", iso_time(created_ms)},
              {"webhook_url", "https://engine.example/callbacks"},
              {"data", {{"object", std::move(object)}}},
              {"account_id", options_.account_id}};
}

std::optional<json> FakeCheckr::invitation_event(const std::string& type,
                                                 const std::string& invitation_id) {
  auto inv = invitation(invitation_id);
  if (!inv) return std::nullopt;
  return event(type, *inv);
}

std::optional<json> FakeCheckr::report_event(const std::string& type,
                                             const std::string& report_id) {
  std::optional<json> r;
  {
    std::lock_guard lock(state_->mu);
    if (!state_->reports.count(report_id)) return std::nullopt;
    r = state_->report_view(report_id, {}, false);  // webhooks carry the object without includes
  }
  return event(type, *r);
}

// ---- HTTP -------------------------------------------------------------------------------------

net::Response FakeCheckr::serve(net::Request& request,
                                const std::function<net::Response(net::Request&)>& handler) {
  RecordedRequest record{request.method,  request.path, request.query,
                         request.headers, request.body, 0};
  std::string sub_path = request.path.substr(3);  // after "/v1"
  net::Response response;
  std::optional<Fault> fault;
  {
    std::lock_guard lock(state_->mu);
    for (auto it = state_->faults.begin(); it != state_->faults.end(); ++it) {
      if ((!it->method.empty() && it->method != request.method) ||
          sub_path.rfind(it->path_prefix, 0) != 0)
        continue;
      fault = *it;
      if (--it->count <= 0) state_->faults.erase(it);
      break;
    }
  }
  auto user = basic_user(request.header("Authorization").value_or(""));
  if (!user || *user != options_.api_key) {
    response = error_response(401, "Bad authentication error");
  } else {
    if (fault && fault->delay.count() > 0) std::this_thread::sleep_for(fault->delay);
    if (fault && fault->status != 0) {
      response = error_response(fault->status,
                                fault->status == 429 ? "Too many requests" : "Injected failure");
      if (fault->status == 429 && !fault->omit_reset_header)
        response.headers.emplace_back(
            "X-Ratelimit-Reset", fault->reset_header.value_or(iso_time(options_.now_ms() + 60000)));
      if (fault->status == 429) response.headers.emplace_back("X-Ratelimit-Remaining", "0");
    } else {
      auto key = request.header("Idempotency-Key");
      const std::string replay_key = request.method + " " + request.path + "|" + key.value_or("");
      bool replayed = false;
      if (key && request.method == "POST") {
        std::lock_guard lock(state_->mu);
        if (auto it = state_->replays.find(replay_key); it != state_->replays.end()) {
          response = it->second;
          replayed = true;
        }
      }
      if (!replayed) {
        response = handler(request);
        if (key && request.method == "POST" && response.status < 500) {
          std::lock_guard lock(state_->mu);
          state_->replays.emplace(replay_key, response);
        }
      }
    }
  }
  if (response.status != 429) {
    std::lock_guard lock(state_->mu);
    response.headers.emplace_back(
        "X-Ratelimit-Remaining",
        std::to_string(std::max<int>(0, 1199 - static_cast<int>(state_->requests.size() % 1200))));
  }
  response.headers.emplace_back("X-Ratelimit-Limit", "1200");
  if (!fault || fault->status != 429)
    response.headers.emplace_back("X-Ratelimit-Reset", iso_time(options_.now_ms() + 60000));
  record.status = response.status;
  std::lock_guard lock(state_->mu);
  state_->requests.push_back(std::move(record));
  return response;
}

void FakeCheckr::add_routes(net::Router& router) {
  auto api = [this, &router](const char* method, const char* pattern,
                             std::function<net::Response(net::Request&)> h) {
    router.add(method, pattern, [this, h = std::move(h)](net::Request& r) { return serve(r, h); });
  };

  api("GET", "/v1/packages", [this](net::Request& r) {
    std::vector<json> all;
    {
      std::lock_guard lock(state_->mu);
      for (const auto& p : state_->packages) all.push_back(state_->package_json(p));
    }
    return json_response(200, page_of(all, r.query, "/packages"));
  });

  api("POST", "/v1/candidates", [this](net::Request& r) {
    json body;
    bool is_json = r.header("Content-Type").value_or("").rfind("application/json", 0) == 0;
    if (is_json) {
      body = json::parse(r.body, nullptr, false);
      if (!body.is_object()) return error_response(400, "Invalid JSON body");
    } else {
      body = json::object();
      for (const auto& [k, v] : parse_form(r.body)) body[k] = v;
    }
    std::string email = body.value("email", "");
    if (email.find('@') == std::string::npos) return error_response(400, "Email is invalid");
    std::lock_guard lock(state_->mu);
    std::string id = make_id("cand", state_->candidate_seq);
    json cand{{"id", id},
              {"object", "candidate"},
              {"uri", "/v1/candidates/" + id},
              {"email", email},
              {"first_name", body.value("first_name", "")},
              {"last_name", body.value("last_name", "")},
              {"phone", body.contains("phone") ? body["phone"] : json(nullptr)},
              {"custom_id", body.contains("custom_id") ? body["custom_id"] : json(nullptr)},
              {"metadata", body.contains("metadata") ? body["metadata"] : json::object()},
              {"created_at", iso_time(options_.now_ms())},
              {"report_ids", json::array()}};
    state_->candidates[id] = cand;
    ++state_->candidates_created;
    return json_response(201, cand);
  });

  api("GET", "/v1/candidates", [this](net::Request& r) {
    std::vector<json> matching;
    auto custom_id = r.query.find("custom_id");
    std::lock_guard lock(state_->mu);
    for (const auto& [id, cand] : state_->candidates)
      if (custom_id == r.query.end() || cand["custom_id"] == custom_id->second)
        matching.push_back(cand);
    return json_response(200, page_of(matching, r.query, "/candidates"));
  });

  api("GET", "/v1/candidates/{id}", [this](net::Request& r) {
    std::lock_guard lock(state_->mu);
    auto it = state_->candidates.find(r.params["id"]);
    return it == state_->candidates.end() ? error_response(404, "Candidate not found")
                                          : json_response(200, it->second);
  });

  api("POST", "/v1/invitations", [this](net::Request& r) {
    json body;
    if (r.header("Content-Type").value_or("").rfind("application/json", 0) == 0) {
      body = json::parse(r.body, nullptr, false);
      if (!body.is_object()) return error_response(400, "Invalid JSON body");
    } else {
      body = json::object();
      for (const auto& [k, v] : parse_form(r.body)) body[k] = v;
    }
    std::string package = body.value("package", ""), candidate_id = body.value("candidate_id", "");
    std::lock_guard lock(state_->mu);
    if (!state_->package(package)) return error_response(404, "Package not found");
    if (!state_->candidates.count(candidate_id)) return error_response(404, "Candidate not found");
    std::string id = make_id("inv", state_->invitation_seq);
    std::int64_t now = options_.now_ms();
    json inv{{"id", id},
             {"object", "invitation"},
             {"uri", "/v1/invitations/" + id},
             {"status", "pending"},
             {"invitation_url", "http://127.0.0.1:" + std::to_string(port_) + "/apply/" + id},
             {"package", package},
             {"candidate_id", candidate_id},
             {"report_id", nullptr},
             {"created_at", iso_time(now)},
             {"expires_at", iso_time(now + kInvitationLifetimeMs)},
             {"completed_at", nullptr},
             {"deleted_at", nullptr},
             {"tags", body.contains("tags") ? body["tags"] : json::array()},
             {"work_locations",
              body.contains("work_locations") ? body["work_locations"] : json::array()},
             {"node", body.contains("node") ? body["node"] : json(nullptr)}};
    state_->invitations[id] = inv;
    ++state_->invitations_created;
    return json_response(201, inv);
  });

  api("GET", "/v1/invitations", [this](net::Request& r) {
    std::vector<json> matching;
    auto candidate_id = r.query.find("candidate_id");
    std::lock_guard lock(state_->mu);
    for (const auto& [id, inv] : state_->invitations)
      if (candidate_id == r.query.end() || inv["candidate_id"] == candidate_id->second)
        matching.push_back(inv);
    return json_response(200, page_of(matching, r.query, "/invitations"));
  });

  api("GET", "/v1/invitations/{id}", [this](net::Request& r) {
    std::lock_guard lock(state_->mu);
    auto it = state_->invitations.find(r.params["id"]);
    return it == state_->invitations.end() ? error_response(404, "Invitation not found")
                                           : json_response(200, it->second);
  });

  api("DELETE", "/v1/invitations/{id}", [this](net::Request& r) {
    std::lock_guard lock(state_->mu);
    auto it = state_->invitations.find(r.params["id"]);
    if (it == state_->invitations.end()) return error_response(404, "Invitation not found");
    if (it->second["status"] != "pending")
      return error_response(400, "Only pending invitations can be cancelled");
    json inv = it->second;
    inv["status"] = "deleted";
    inv["deleted_at"] = iso_time(options_.now_ms());
    if (options_.forget_deleted_invitations) {
      state_->invitations.erase(it);  // later GETs answer 404
    } else {
      it->second = inv;
    }
    return json_response(200, inv);
  });

  api("GET", "/v1/reports/{id}", [this](net::Request& r) {
    std::lock_guard lock(state_->mu);
    if (!state_->reports.count(r.params["id"])) return error_response(404, "Report not found");
    auto include = r.query.find("include");
    return json_response(
        200, state_->report_view(
                 r.params["id"],
                 include == r.query.end() ? std::set<std::string>{} : split_csv(include->second),
                 options_.embed_documents));
  });

  api("GET", "/v1/documents/{id}", [this](net::Request& r) {
    std::lock_guard lock(state_->mu);
    auto it = state_->documents.find(r.params["id"]);
    return it == state_->documents.end() ? error_response(404, "Document not found")
                                         : json_response(200, state_->document_view(it->first));
  });

  // The presigned download link: no API key, as with Checkr's 15-minute URLs; an unknown,
  // foreign or expired token is refused as a storage service refuses a stale presigned URL.
  router.add("GET", "/v1/documents/{id}/download", [this](net::Request& r) {
    std::lock_guard lock(state_->mu);
    if (!state_->documents.count(r.params["id"])) return error_response(404, "Document not found");
    auto token = r.query.find("token");
    auto link =
        token == r.query.end() ? state_->downloads.end() : state_->downloads.find(token->second);
    if (link == state_->downloads.end() || link->second.document_id != r.params["id"])
      return net::Response::text(403, "AccessDenied: the download link is not valid");
    if (options_.now_ms() >= link->second.expires_ms)
      return net::Response::text(403, "AccessDenied: Request has expired");
    net::Response resp;
    resp.status = 200;
    resp.content_type = "application/pdf";
    resp.body = kPdf;
    return resp;
  });

  // ---- /__sim: the control methods over HTTP, for scripts and the demo ----
  router.add("POST", "/__sim/invitations/{id}/complete", [this](net::Request& r) {
    std::string report_id = complete_invitation(r.params["id"]);
    return report_id.empty() ? error_response(409, "no pending invitation with this id")
                             : json_response(200, json{{"report_id", report_id}});
  });
  router.add("POST", "/__sim/invitations/{id}/expire", [this](net::Request& r) {
    return expire_invitation(r.params["id"])
               ? json_response(200, json{{"ok", true}})
               : error_response(409, "no pending invitation with this id");
  });
  router.add("POST", "/__sim/reports/{id}", [this](net::Request& r) {
    json body = json::parse(r.body, nullptr, false);
    if (!body.is_object())
      return error_response(400, "expected {status, result, assessment, adjudication}");
    ReportChange change;
    auto opt = [&](const char* k) -> std::optional<std::string> {
      if (!body.contains(k)) return std::nullopt;
      return body[k].is_string() ? body[k].get<std::string>() : std::string();
    };
    change.status = opt("status");
    change.result = opt("result");
    change.assessment = opt("assessment");
    change.adjudication = opt("adjudication");
    return update_report(r.params["id"], change) ? json_response(200, json{{"ok", true}})
                                                 : error_response(404, "Report not found");
  });
  router.add("POST", "/__sim/reports/{id}/dispute", [this](net::Request& r) {
    return dispute_report(r.params["id"]) ? json_response(200, json{{"ok", true}})
                                          : error_response(409, "no complete report with this id");
  });
  router.add("POST", "/__sim/reports/{id}/cancel", [this](net::Request& r) {
    return cancel_report(r.params["id"]) ? json_response(200, json{{"ok", true}})
                                         : error_response(404, "Report not found");
  });
  router.add("POST", "/__sim/faults", [this](net::Request& r) {
    json body = json::parse(r.body, nullptr, false);
    if (!body.is_object())
      return error_response(400, "expected {method, path_prefix, status, count, delay_ms}");
    Fault f;
    f.method = body.value("method", "");
    f.path_prefix = body.value("path_prefix", "");
    f.status = body.value("status", 429);
    f.count = body.value("count", 1);
    f.delay = std::chrono::milliseconds(body.value("delay_ms", 0));
    inject(f);
    return json_response(200, json{{"ok", true}});
  });
  // Sends an event about an invitation or report to `url`: {type, id, url, signing?}.
  router.add("POST", "/__sim/events", [this](net::Request& r) {
    json body = json::parse(r.body, nullptr, false);
    if (!body.is_object()) return error_response(400, "expected {type, id, url, signing}");
    std::string type = body.value("type", ""), id = body.value("id", ""),
                url = body.value("url", "");
    auto ev = type.rfind("report.", 0) == 0 ? report_event(type, id) : invitation_event(type, id);
    if (!ev) return error_response(404, "no invitation or report with this id");
    std::string signing = body.value("signing", "valid");
    Signing s = signing == "wrong_key"     ? Signing::wrong_key
                : signing == "missing"     ? Signing::missing
                : signing == "placeholder" ? Signing::placeholder
                : signing == "tampered"    ? Signing::tampered
                                           : Signing::valid;
    DeliveryResult result = WebhookSender(options_.api_key).deliver(url, *ev, s);
    return json_response(200, json{{"event", *ev},
                                   {"status", result.status},
                                   {"body", result.body},
                                   {"error", result.error}});
  });
}

}  // namespace ttb::fakes::checkr
