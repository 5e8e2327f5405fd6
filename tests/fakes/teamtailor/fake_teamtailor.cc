#include "fakes/teamtailor/fake_teamtailor.h"

#include <algorithm>
#include <cstdlib>
#include <regex>

#include "fakes/teamtailor/partner_result_rules.h"

namespace ttb::fakes {

namespace {

using Json = nlohmann::json;

// When the write arrived, on the wall clock: the server stamps the first byte's arrival before
// the handler waits for a worker thread, so a write sent just before a kill is dated before it
// (the crash test tells the daemon's incarnations apart by these times).
std::chrono::system_clock::time_point arrival_time(const net::Request& request) {
  const auto now = std::chrono::system_clock::now();
  if (request.received_at == std::chrono::steady_clock::time_point{}) return now;
  return now - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                   std::chrono::steady_clock::now() - request.received_at);
}

constexpr std::string_view kApiVersion = "20180828";
constexpr std::string_view kMediaType = "application/vnd.api+json";

net::Response jsonapi(int status, const Json& body) {
  net::Response response;
  response.status = status;
  response.content_type = std::string(kMediaType);
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return response;
}

net::Response jsonapi_errors(int status, const std::string& title,
                             const std::vector<Json>& details) {
  Json errors = Json::array();
  for (const auto& detail : details) {
    errors.push_back({{"status", std::to_string(status)}, {"title", title}, {"detail", detail}});
  }
  return jsonapi(status, {{"errors", errors}});
}

// "H:MM:SS" -> seconds, as Teamtailor returns durations.
Json normalized(Json attributes) {
  auto a = attributes.find("assessment");
  if (a != attributes.end() && a->is_object()) {
    auto d = a->find("duration");
    if (d != a->end() && d->is_string()) {
      static const std::regex kClock(R"(^([0-9]+):([0-9]{2}):([0-9]{2})$)");
      std::smatch m;
      const std::string text = *d;
      if (std::regex_match(text, m, kClock)) {
        *d = std::stoll(m[1]) * 3600 + std::stoll(m[2]) * 60 + std::stoll(m[3]);
      }
    }
  }
  return attributes;
}

}  // namespace

Fault Fault::rate_limit(std::chrono::seconds reset) {
  Fault f;
  f.kind = rate_limited;
  f.status = 429;
  f.reset = reset;
  return f;
}

Fault Fault::error(int status) {
  Fault f;
  f.kind = server_error;
  f.status = status;
  return f;
}

Fault Fault::invalid(std::string detail) {
  Fault f;
  f.kind = unprocessable;
  f.status = 422;
  f.detail = std::move(detail);
  return f;
}

Fault Fault::slow(std::chrono::milliseconds pause) {
  Fault f;
  f.kind = delay;
  f.pause = pause;
  return f;
}

FakeTeamtailor::FakeTeamtailor(FakeTeamtailorOptions options) : options_(std::move(options)) {
  auto router = std::make_shared<net::Router>();
  // The PUT answers on the server's I/O threads, as a remote service costs the daemon no more
  // than its answer: the bench's fakes share the daemon's two cores, and a hop to a worker and
  // back for every write was CPU taken from what the bench measures.
  router->add_async("PUT", "/partner/v1/partner-results/{id}",
                    [this](net::Request& r, net::Respond respond) { put(r, respond); });
  router->add("GET", "/partner/v1/partner-results/{id}",
              [this](net::Request& r) { return finish(r, handle_get(r)); });
  router->add("GET", "/partner/v1/partner-results",
              [this](net::Request& r) { return finish(r, handle_list_results(r)); });
  router->add("GET", "/partner/v1/partner-activations",
              [this](net::Request& r) { return finish(r, handle_list_activations(r)); });
  router->add("PUT", "/partner/v1/partners/{id}",
              [this](net::Request& r) { return finish(r, handle_put_partner(r)); });
  net::ServerOptions server_options;
  server_options.host = "127.0.0.1";
  server_options.port = options_.port;
  server_options.threads = 8;
  server_ = net::make_http_server(server_options, router, nullptr);
  server_->start();
}

FakeTeamtailor::~FakeTeamtailor() {
  server_->stop(std::chrono::milliseconds(2000));
}

unsigned short FakeTeamtailor::port() const {
  return server_->port();
}

std::string FakeTeamtailor::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port());
}

std::string FakeTeamtailor::api_url() const {
  return base_url() + "/partner/v1";
}

void FakeTeamtailor::inject(const Fault& fault, int times) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < times; ++i) faults_.push_back(fault);
}

void FakeTeamtailor::clear_faults() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

void FakeTeamtailor::register_result(std::string id) {
  std::lock_guard lock(mutex_);
  known_ids_.insert(std::move(id));
}

std::vector<PartnerResultWrite> FakeTeamtailor::writes() const {
  std::lock_guard lock(mutex_);
  return writes_;
}

std::size_t FakeTeamtailor::count_writes(std::string_view status) const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& w : writes_) {
    const auto it = w.attributes.find("status");
    if (it != w.attributes.end() && it->is_string() && it->get_ref<const std::string&>() == status)
      ++n;
  }
  return n;
}

std::vector<PartnerResultWrite> FakeTeamtailor::writes_for(std::string_view id) const {
  std::lock_guard lock(mutex_);
  std::vector<PartnerResultWrite> out;
  for (const auto& w : writes_) {
    if (w.id == id) out.push_back(w);
  }
  return out;
}

Json FakeTeamtailor::current(std::string_view id) const {
  std::lock_guard lock(mutex_);
  auto it = current_.find(std::string(id));
  return it == current_.end() ? Json() : it->second;
}

std::vector<RecordedRequest> FakeTeamtailor::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool FakeTeamtailor::wait_for(
    const std::function<bool(const std::vector<PartnerResultWrite>&)>& predicate,
    std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, deadline, [&] { return predicate(writes_); });
}

bool FakeTeamtailor::authorized(const net::Request& request) const {
  auto value = request.header("Authorization");
  if (!value) return false;
  // The docs show both "Bearer <key>" and "Token <key>" (docs/protocols/teamtailor.md,
  // "Partner-result update"); accept either.
  return *value == "Bearer " + options_.api_key || *value == "Token " + options_.api_key;
}

std::optional<Fault> FakeTeamtailor::take_fault() {
  std::lock_guard lock(mutex_);
  if (faults_.empty()) return std::nullopt;
  Fault fault = faults_.front();
  faults_.pop_front();
  return fault;
}

net::Response FakeTeamtailor::finish(const net::Request& request, net::Response response) {
  response.headers.emplace_back("X-Api-Version", std::string(kApiVersion));
  std::lock_guard lock(mutex_);
  requests_.push_back(
      {request.method, request.path, request.headers, request.body, response.status});
  changed_.notify_all();
  return response;
}

void FakeTeamtailor::put(net::Request& request, const net::Respond& respond) {
  std::chrono::milliseconds pause{0};
  if (auto refused = refusal_of_put(request, pause)) {
    respond(finish(request, std::move(*refused)));
  } else if (pause.count() > 0) {
    delayed_.after(pause, [this, request, respond]() mutable {
      respond(finish(request, store_put(request)));
    });
  } else {
    respond(finish(request, store_put(request)));
  }
}

std::optional<net::Response> FakeTeamtailor::refusal_of_put(const net::Request& request,
                                                            std::chrono::milliseconds& pause) {
  if (!authorized(request)) {
    return jsonapi_errors(401, "Unauthorized", {"Invalid or missing API key"});
  }
  if (request.header("X-Api-Version").value_or("") != kApiVersion) {
    return jsonapi_errors(406, "Not Acceptable",
                          {Json{{"X-Api-Version", "must be set to a supported version"}}});
  }
  if (auto fault = take_fault()) {
    switch (fault->kind) {
      case Fault::rate_limited: {
        auto response = jsonapi_errors(429, "Too Many Requests", {"Rate limit exceeded"});
        response.headers = {{"X-Rate-Limit-Limit", "50"},
                            {"X-Rate-Limit-Remaining", "0"},
                            {"X-Rate-Limit-Reset", std::to_string(fault->reset.count())}};
        return response;
      }
      case Fault::server_error:
        return jsonapi_errors(fault->status, "Server Error", {"Injected server error"});
      case Fault::unprocessable:
        return jsonapi_errors(422, "Unprocessable Entity", {fault->detail});
      case Fault::delay:
        pause = fault->pause;
        break;
    }
  }
  return std::nullopt;
}

net::Response FakeTeamtailor::store_put(net::Request& request) {
  const std::string content_type = request.header("Content-Type").value_or("");
  if (content_type.rfind(kMediaType, 0) != 0) {
    return jsonapi_errors(415, "Unsupported Media Type",
                          {"Content-Type must be application/vnd.api+json"});
  }
  const std::string id = request.params["id"];
  {
    std::lock_guard lock(mutex_);
    if (!known_ids_.empty() && !known_ids_.count(id)) {
      return jsonapi_errors(404, "Not Found", {"partner result " + id + " not found"});
    }
  }

  Json body = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object() || !body.contains("data") ||
      !body["data"].is_object()) {
    return jsonapi_errors(400, "Bad Request", {"body must be a JSON:API document with data"});
  }
  const Json& data = body["data"];
  if (data.value("type", "") != "partner-results") {
    return jsonapi_errors(409, "Conflict", {"data.type must be partner-results"});
  }
  if (data.contains("id") && (!data["id"].is_string() || data["id"].get<std::string>() != id)) {
    return jsonapi_errors(409, "Conflict", {"data.id does not match the URL"});
  }
  const Json attributes = data.value("attributes", Json::object());
  auto problems = check_partner_result_attributes(attributes, /*create=*/false);
  if (!problems.empty()) {
    std::vector<Json> details(problems.begin(), problems.end());
    return jsonapi_errors(422, "Unprocessable Entity", details);
  }

  Json merged;
  {
    std::lock_guard lock(mutex_);
    writes_.push_back({id, attributes, arrival_time(request)});
    Json& state = current_[id];
    if (!state.is_object()) state = Json::object();
    const Json update = normalized(attributes);  // a named value: items() only borrows it
    for (const auto& [key, value] : update.items()) state[key] = value;
    merged = state;
  }
  return jsonapi(200,
                 {{"data", {{"type", "partner-results"}, {"id", id}, {"attributes", merged}}}});
}

net::Response FakeTeamtailor::handle_get(net::Request& request) {
  if (!authorized(request)) {
    return jsonapi_errors(401, "Unauthorized", {"Invalid or missing API key"});
  }
  const std::string id = request.params["id"];
  Json state = current(id);
  if (state.is_null()) return jsonapi_errors(404, "Not Found", {"partner result not found"});
  return jsonapi(200, {{"data", {{"type", "partner-results"}, {"id", id}, {"attributes", state}}}});
}

void FakeTeamtailor::add_activation(FakeActivation activation) {
  std::lock_guard lock(mutex_);
  activations_.push_back(std::move(activation));
}

Json FakeTeamtailor::partner() const {
  std::lock_guard lock(mutex_);
  return partner_;
}

namespace {

// page[size] (default 10, at most 30) and page[number] (from 1), as the JSON:API lists take them
// (docs/protocols/teamtailor.md, "Partner API for operators").
std::pair<std::size_t, std::size_t> page_of(const net::Request& request) {
  std::size_t size = 10, number = 1;
  if (auto it = request.query.find("page[size]"); it != request.query.end()) {
    size = std::clamp<std::size_t>(std::strtoul(it->second.c_str(), nullptr, 10), 1, 30);
  }
  if (auto it = request.query.find("page[number]"); it != request.query.end()) {
    number = std::max<std::size_t>(std::strtoul(it->second.c_str(), nullptr, 10), 1);
  }
  return {size, number};
}

net::Response list_page(const net::Request& request, const std::vector<Json>& all) {
  const auto [size, number] = page_of(request);
  Json data = Json::array();
  for (std::size_t i = (number - 1) * size; i < all.size() && i < number * size; ++i) {
    data.push_back(all[i]);
  }
  const std::size_t pages = (all.size() + size - 1) / size;
  return jsonapi(200, {{"data", data},
                       {"meta", {{"record-count", all.size()}, {"page-count", pages}}},
                       {"links", Json::object()}});
}

}  // namespace

net::Response FakeTeamtailor::handle_list_results(net::Request& request) {
  if (!authorized(request)) {
    return jsonapi_errors(401, "Unauthorized", {"Invalid or missing API key"});
  }
  std::vector<Json> all;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, state] : current_) {
      all.push_back({{"type", "partner-results"}, {"id", id}, {"attributes", state}});
    }
  }
  return list_page(request, all);
}

net::Response FakeTeamtailor::handle_list_activations(net::Request& request) {
  if (!authorized(request)) {
    return jsonapi_errors(401, "Unauthorized", {"Invalid or missing API key"});
  }
  std::vector<Json> all;
  {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < activations_.size(); ++i) {
      const FakeActivation& a = activations_[i];
      // The real provider-key is a JWE of the activation; the fake's is an opaque stand-in.
      all.push_back({{"type", "partner-activations"},
                     {"id", std::to_string(i + 1)},
                     {"attributes",
                      {{"provider-key", "fake-jwe-" + std::to_string(i + 1)},
                       {"company-name", a.company_name},
                       {"company-uuid", a.company_uuid}}}});
    }
  }
  return list_page(request, all);
}

net::Response FakeTeamtailor::handle_put_partner(net::Request& request) {
  if (!authorized(request)) {
    return jsonapi_errors(401, "Unauthorized", {"Invalid or missing API key"});
  }
  if (request.header("X-Api-Version").value_or("") != kApiVersion) {
    return jsonapi_errors(406, "Not Acceptable",
                          {Json{{"X-Api-Version", "must be set to a supported version"}}});
  }
  const std::string id = request.params["id"];
  if (id != options_.partner_id) return jsonapi_errors(404, "Not Found", {"partner not found"});
  Json body = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object() || !body.contains("data") ||
      !body["data"].is_object() || body["data"].value("type", "") != "partners") {
    return jsonapi_errors(400, "Bad Request", {"body must be a partners JSON:API document"});
  }
  const Json attributes = body["data"].value("attributes", Json::object());
  if (attributes.contains("name")) {
    return jsonapi_errors(422, "Unprocessable Entity", {"name cannot be changed"});
  }
  std::lock_guard lock(mutex_);
  if (!partner_.is_object()) partner_ = Json::object();
  for (const auto& [key, value] : attributes.items()) partner_[key] = value;
  return jsonapi(200, {{"data", {{"type", "partners"}, {"id", id}, {"attributes", partner_}}}});
}

}  // namespace ttb::fakes
