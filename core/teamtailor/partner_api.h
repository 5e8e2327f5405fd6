#pragma once
// The operator's calls to Teamtailor's Partner API (docs/protocols/teamtailor.md, "Partner API
// for operators"): is the API key accepted, which companies have activated the partner, and
// writing the partner's base URL. The CLI uses these; the daemon never does.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_client.h"

namespace ttb::teamtailor {

struct ApiAnswer {
  int http_status = 0;  // 0: no HTTP answer (transport failure)
  std::string error;    // empty on 2xx; else the transport reason or errors[].detail, key redacted
  bool ok() const { return http_status >= 200 && http_status < 300; }
  // 401 or 403: Teamtailor refused the key.
  bool key_refused() const { return http_status == 401 || http_status == 403; }
};

// One company that activated the partner (`partner-activations`). The provider key (a JWE) is
// not kept: the CLI has no use for it and must not print it.
struct Activation {
  std::string id;
  std::string company_uuid;
  std::string company_name;
};

struct ActivationList {
  ApiAnswer answer;  // the first failed page's answer, or the last page's
  std::vector<Activation> activations;
};

class PartnerApi {
 public:
  // `api_url` is a connection's api_url, e.g. "https://api.teamtailor.com/partner/v1".
  PartnerApi(std::shared_ptr<net::HttpClient> http, std::string api_url, std::string api_key,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // GET {api_url}/partner-results?page[size]=1: the cheapest documented read that needs the key.
  ApiAnswer check_key() const;

  // GET {api_url}/partner-activations, page by page (30 a page) until a page is empty or the
  // last one (meta.page-count; without it, a page that is not full); at most 1000 pages.
  ActivationList activations() const;

  // PUT {api_url}/partners/{partner_id} with `base-url` and `dynamic-activation-config: true`,
  // so Teamtailor asks GET {base-url}/activation for the form.
  ApiAnswer update_partner(std::string_view partner_id, std::string_view base_url) const;

 private:
  net::ClientResponse send(std::string method, std::string url, std::string authorization,
                           std::string body) const;
  ApiAnswer answer_of(const net::ClientResponse& response) const;

  std::shared_ptr<net::HttpClient> http_;
  std::string api_url_;
  std::string api_key_;
  std::chrono::milliseconds timeout_;
};

}  // namespace ttb::teamtailor
