#pragma once
// A fake of Checkr's API (docs/protocols/checkr.md) on 127.0.0.1:<ephemeral>/v1 for the plugin
// tests, the daemon's whole-flow tests and the demo: packages (paged), candidates (form and JSON
// bodies), invitations, reports with include=, documents; Basic-auth check, Idempotency-Key replay,
// rate-limit headers, and faults (429, 5xx, slow replies). Control methods (and POST /__sim/...)
// move an order along the way a candidate and Checkr's processing would. Deterministic ids.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "net/http_server.h"

namespace ttb::fakes::checkr {

struct Screening {
  std::string type;     // "ssn_trace", "county_criminal_search", ...
  std::string subtype;  // "7years", or empty
};

struct Package {
  std::string slug;
  std::string name;
  std::vector<Screening> screenings;
  int price_cents = 2900;
  bool deleted = false;
};

// Every request the fake saw under /v1, with the status it answered.
struct RecordedRequest {
  std::string method;
  std::string path;                          // without the query
  std::map<std::string, std::string> query;  // decoded
  net::Headers headers;
  std::string body;
  int status = 0;
};

// The next `count` API requests matching method (empty: any) and path prefix (after /v1, e.g.
// "/invitations") answer `status` instead of being served, after `delay`. A 429 carries
// X-Ratelimit-Reset = reset_header (or the fake's usual value); status 0 only delays.
struct Fault {
  std::string method;
  std::string path_prefix;
  int status = 429;
  int count = 1;
  std::optional<std::string> reset_header;
  bool omit_reset_header = false;
  std::chrono::milliseconds delay{0};
};

// Changes to a report; unset members stay as they are. Setting status "complete" also completes
// pending screenings and adds the PDF report document.
struct ReportChange {
  std::optional<std::string>
      status;  // pending | complete | suspended | dispute | canceled | paused
  std::optional<std::string> result;      // clear | consider ("" = null)
  std::optional<std::string> assessment;  // eligible | review | escalated ("" = null)
  std::optional<std::string> adjudication;
};

struct FakeCheckrOptions {
  std::string api_key = "sk_test_fake_checkr_key";
  std::string account_id = "acct_fake";
  unsigned short port = 0;  // 0: ephemeral
  // Embed documents on include=documents; false leaves only document_ids (tests the fallback
  // GET /documents/{id}).
  bool embed_documents = true;
  // After DELETE /invitations/{id}, answer 404 for it (instead of showing it with deleted_at).
  bool forget_deleted_invitations = false;
  // How long a document's download_uri works after the view that issued it (Checkr: 15 minutes);
  // later the download answers 403.
  std::chrono::milliseconds download_link_ttl{std::chrono::minutes(15)};
  // Timestamps the fake writes (created_at, X-Ratelimit-Reset, ...) and the clock download links
  // expire by: ms since the epoch.
  std::function<std::int64_t()> now_ms;  // default: a fixed 2025-03-01T10:00:00Z
};

class FakeCheckr {
 public:
  explicit FakeCheckr(FakeCheckrOptions options = {});
  ~FakeCheckr();
  FakeCheckr(const FakeCheckr&) = delete;
  FakeCheckr& operator=(const FakeCheckr&) = delete;

  unsigned short port() const;
  std::string base_url() const;  // http://127.0.0.1:<port>/v1: the plugin's base_url
  const std::string& api_key() const { return options_.api_key; }

  // Catalog. Starts with two packages: basic_criminal and driver_pro.
  void set_packages(std::vector<Package> packages);
  void add_package(Package package);

  // Control: what the candidate and Checkr's processing do. Each returns false (or "") when the
  // id is unknown or the step does not apply.
  std::string complete_invitation(const std::string& invitation_id);  // → the new report's id
  bool expire_invitation(const std::string& invitation_id);
  bool update_report(const std::string& report_id, const ReportChange& change);
  bool cancel_report(const std::string& report_id);
  // The candidate disputes a completed report: its status becomes "dispute" (completed_at stays);
  // false unless the report is complete. Send "report.disputed" with report_event() after it.
  bool dispute_report(const std::string& report_id);
  bool set_screening(const std::string& report_id, const std::string& type,
                     const std::string& status, const std::string& result,
                     const std::string& cancellation_reason = "");

  // Faults.
  void inject(Fault fault);
  void clear_faults();

  // Inspection.
  std::vector<RecordedRequest> requests() const;
  int invitations_created() const;  // POSTs that created one (replays excluded)
  int candidates_created() const;
  std::optional<nlohmann::json> candidate(const std::string& id) const;
  std::optional<nlohmann::json> invitation(const std::string& id) const;
  std::optional<nlohmann::json> report(const std::string& id) const;  // with every include
  std::vector<std::string> invitation_ids() const;

  // Event envelopes as Checkr sends them (include_object on): {id, object:"event", type,
  // created_at, webhook_url, data:{object}, account_id}. Deterministic ids evt_000001, ...;
  // created_at is the clock's time, but at least a second after the previous event's.
  // The object is the current state; nullopt when the id is unknown.
  std::optional<nlohmann::json> invitation_event(const std::string& type,
                                                 const std::string& invitation_id);
  std::optional<nlohmann::json> report_event(const std::string& type, const std::string& report_id);
  nlohmann::json event(const std::string& type, nlohmann::json object);

 private:
  struct State;
  net::Response serve(net::Request& request,
                      const std::function<net::Response(net::Request&)>& handler);
  void add_routes(net::Router& router);

  FakeCheckrOptions options_;
  std::unique_ptr<State> state_;
  std::unique_ptr<net::HttpServer> server_;
  unsigned short port_ = 0;
};

}  // namespace ttb::fakes::checkr
