#pragma once
// The Checkr provider: turns the host's calls into Checkr API requests (through the host's HTTP)
// and Checkr's answers into order updates. Each step of a flow is one request whose answer starts
// the next; every path ends in exactly one completion of the call. Failures are thrown as
// ttb::sdk::Error, which the SDK turns into the call's failure.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkr_api.h"
#include "config.h"
#include "mapping.h"
#include "ttbridge/plugin.hpp"

namespace ttb::checkr {

class CheckrProvider final : public sdk::Provider {
 public:
  // The descriptor's config schema and sample config (config.h); ttb::sdk::Provider explains.
  static const char* config_schema() noexcept { return ttb::checkr::config_schema(); }
  static const char* sample_config() noexcept { return ttb::checkr::sample_config(); }

  // Throws sdk::Error(TTB_STATUS_INVALID, ...) naming the bad setting; the SDK turns it into
  // create()'s error message.
  CheckrProvider(sdk::Host host, std::string_view config_json);

  void list_tests(sdk::Call call) override;
  void create_order(std::string_view request_json, sdk::Call call) override;
  void handle_callback(const sdk::CallbackRequest& request, sdk::Call call) override;
  void fetch_order(std::string_view order_json, sdk::Call call) override;
  void cancel_order(std::string_view order_json, sdk::Call call) override;
  // ABI 1.1: a fresh download link for the report's PDF (report_document.h); the report link is
  // the configured dashboard link, which does not expire.
  void fetch_document(std::string_view request_json, sdk::Call call) override;

 private:
  using OnJson = std::function<void(nlohmann::json)>;
  using OnFailure = std::function<void(const sdk::Error&)>;

  // Sends one request; `on_ok` gets the parsed 2xx body, `on_fail` the error of every other
  // outcome (see answer_body()).
  void send(const sdk::HttpRequest& request, std::string what, const sdk::Call& call, OnJson on_ok,
            OnFailure on_fail);
  // The same, failing the call on any failure.
  void send(const sdk::HttpRequest& request, std::string what, const sdk::Call& call, OnJson on_ok);

  void list_page(int page, const std::shared_ptr<nlohmann::json>& tests, const sdk::Call& call);
  void invite(const OrderRequest& order, const std::string& candidate_id, const sdk::Call& call);
  // GET the report, then (if the include did not embed them) its documents, so the mapping sees
  // the PDF. `on_ok` gets the report with "documents" filled in.
  void load_report(const std::string& report_id, const sdk::Call& call, const OnJson& on_ok,
                   const OnFailure& on_fail);
  // The check is wrong here: what may throw is nlohmann::json's destructor, which allocates to
  // flatten nested values; nothing in this struct can change that.
  // NOLINTNEXTLINE(bugprone-exception-escape)
  struct DocumentFetch {
    nlohmann::json report;
    std::vector<std::string> ids;
    std::size_t next = 0;
  };
  void fetch_documents(const std::shared_ptr<DocumentFetch>& job, const sdk::Call& call,
                       const OnJson& on_ok, const OnFailure& on_fail);
  // GET the invitation and, when it has a report, the report; `done(invitation, report)`.
  void load_order(const std::string& invitation_id, const std::string& known_report_id,
                  const sdk::Call& call,
                  const std::function<void(nlohmann::json, nlohmann::json)>& done,
                  const OnFailure& on_fail);

  // `revision`: the event's created_at (ms), the revision of the updates it produces.
  void on_invitation_event(const std::string& event_id, const std::string& type,
                           const std::string& invitation_id, std::optional<std::int64_t> revision,
                           const sdk::Call& call);
  void on_report_event(const std::string& event_id, const std::string& report_id,
                       std::optional<std::int64_t> revision, const sdk::Call& call);
  // A callback whose re-fetch failed: 503 so Checkr redelivers later, and a log line for the
  // operator.
  OnFailure retry_later(const sdk::Call& call) const;

  Config config_;
  CheckrApi api_;
  MappingOptions mapping_;
};

}  // namespace ttb::checkr
