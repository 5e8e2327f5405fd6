#include "hackerrank_api.h"

#include "candidate_mapping.h"
#include "urls.h"
#include "vendor_errors.h"

namespace hackerrank {

using nlohmann::json;

namespace {

constexpr const char* kUserAgent = "ttbridge-hackerrank/1.0";

json parse_body(const std::string& body, const std::string& action) {
  if (body.empty()) return json::object();  // 204 No Content and friends
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded())
    throw ttb::sdk::Error(
        TTB_STATUS_VENDOR_UNAVAILABLE,
        "HackerRank answered with a body that is not JSON when asked to " + action);
  return j;
}

}  // namespace

ttb::sdk::HttpRequest HackerRankApi::request(std::string method, std::string url) const {
  ttb::sdk::HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers = {{"Authorization", "Bearer " + settings_.api_key},
               {"Accept", "application/json"},
               {"User-Agent", kUserAgent}};
  return r;
}

std::string HackerRankApi::candidate_url(const std::string& test_id,
                                         const std::string& candidate_id) const {
  return settings_.base_url + "/tests/" + encode_segment(test_id) + "/candidates/" +
         encode_segment(candidate_id);
}

void HackerRankApi::send_json(ttb::sdk::HttpRequest req, std::string action, ttb::sdk::Call call,
                              OnJson on_json) const {
  host_.http(std::move(req), std::move(call),
             [host = host_, action = std::move(action), on_json = std::move(on_json)](
                 ttb::sdk::HttpResponse r, ttb::sdk::Call c) {
               if (!succeeded(r)) throw vendor_error(r, action, host.now_ms());
               on_json(parse_body(r.body, action), std::move(c));
             });
}

void HackerRankApi::get_page(const std::string& url, ttb::sdk::Call call, OnJson on_json) const {
  // The URL is ours or a `next` link already checked against base_url's origin (test_listing).
  send_json(request("GET", url), "list the tests", std::move(call), std::move(on_json));
}

void HackerRankApi::invite(const std::string& test_id, const json& body, ttb::sdk::Call call,
                           OnJson on_json) const {
  auto req =
      request("POST", settings_.base_url + "/tests/" + encode_segment(test_id) + "/candidates");
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  host_.http(
      std::move(req), std::move(call),
      [host = host_, on_json = std::move(on_json)](ttb::sdk::HttpResponse r, ttb::sdk::Call c) {
        if (r.status == TTB_STATUS_OK && r.http_status == 422) {
          // HackerRank's 422 on an invite is about the candidate or the test, not
          // transient: retrying would fail the same way.
          const bool already = r.body.find("already") != std::string::npos;
          throw ttb::sdk::Error(
              TTB_STATUS_INVALID,
              already ? "HackerRank refused the invitation (HTTP 422): this candidate was already "
                        "invited to this test"
                      : "HackerRank refused the invitation (HTTP 422): the test may be a draft, "
                        "archived or locked, or the candidate's e-mail is not accepted");
        }
        if (!succeeded(r)) throw vendor_error(r, "invite the candidate", host.now_ms());
        on_json(parse_body(r.body, "invite the candidate"), std::move(c));
      });
}

void HackerRankApi::get_candidate(const std::string& test_id, const std::string& candidate_id,
                                  ttb::sdk::Call call, OnJson on_json) const {
  std::string url = candidate_url(test_id, candidate_id) + "?additional_fields=" + kCandidateFields;
  send_json(request("GET", std::move(url)), "read the candidate's result", std::move(call),
            std::move(on_json));
}

void HackerRankApi::get_pdf_link(const std::string& test_id, const std::string& candidate_id,
                                 ttb::sdk::Call call, OnPdf on_pdf) const {
  host_.http(request("GET", candidate_url(test_id, candidate_id) + "/pdf?format=url"),
             std::move(call),
             [on_pdf = std::move(on_pdf)](ttb::sdk::HttpResponse r, ttb::sdk::Call c) {
               std::optional<std::string> link;
               if (succeeded(r)) {
                 json j = json::parse(r.body, nullptr, false);
                 if (!j.is_discarded()) link = pdf_link_from(j);
               }
               on_pdf(std::move(link), std::move(c));
             });
}

void HackerRankApi::cancel_invite(const std::string& test_id, const std::string& candidate_id,
                                  ttb::sdk::Call call, OnJson on_json) const {
  send_json(request("DELETE", candidate_url(test_id, candidate_id) + "/invite"),
            "cancel the invitation", std::move(call), std::move(on_json));
}

}  // namespace hackerrank
