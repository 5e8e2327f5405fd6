// POST /webhook: a recruiter clicked "Send". Verify who sent it (signature and company key),
// validate what they asked for, commit the order with its invite job, and only then answer 2xx
// (docs/architecture.md, "The path of a webhook"). A refusal is a status >= 400 with a plain-text
// reason: Teamtailor shows it on the candidate's result card and never retries, so the recruiter
// must be able to act on it (docs/protocols/teamtailor.md, "Webhook answer").

#include <optional>
#include <string_view>
#include <utility>
#include <variant>

#include "http/partner_routes_impl.h"
#include "http/teamtailor_auth.h"
#include "ops/json_string.h"
#include "ops/log.h"
#include "teamtailor/forms.h"
#include "teamtailor/signature.h"
#include "teamtailor/webhook.h"

namespace ttb::http {
namespace {

net::Response refuse(const std::string& request_id, int status, const std::string& reason,
                     const std::string& tenant = "") {
  ops::log_info(
      "webhook_refused",
      {{"status", status}, {"reason", reason}, {"tenant", tenant}, {"request_id", request_id}});
  return net::Response::text(status, reason);
}

// Appends `"name":"value"` to an object being written, with a comma after the first member.
void append_member(std::string& object, std::string_view name, std::string_view value) {
  if (object.size() > 1) object.push_back(',');
  ops::append_json_string(object, name);
  object.push_back(':');
  ops::append_json_string(object, value);
}

// Written straight into the row's text rather than built as a JSON tree and dumped on every
// webhook. The members are in name order, as the tree wrote them: the same bytes as before.
std::string candidate_json(const teamtailor::WebhookEvent::Candidate& c) {
  std::string out = "{";
  append_member(out, "email", c.email);
  append_member(out, "first_name", c.first_name);
  append_member(out, "id", c.id);
  append_member(out, "last_name", c.last_name);
  append_member(out, "phone", c.phone);
  out.push_back('}');
  return out;
}

// The job the order is for, as the plugin's order request carries it (docs/plugin-abi.md,
// "create_order"): the stage only when Teamtailor gave one, so a vendor can tag the order.
std::string job_json(const teamtailor::WebhookEvent::Job& job) {
  std::string out = "{";
  append_member(out, "id", job.id);
  if (!job.stage.empty()) append_member(out, "stage", job.stage);
  if (!job.stage_id.empty()) append_member(out, "stage_id", job.stage_id);
  append_member(out, "title", job.title);
  out.push_back('}');
  return out;
}

// Who sent the webhook and what it asks for: the order to accept, or the refusal to answer.
std::variant<net::Response, store::NewOrder> admit_webhook(
    const PartnerRouteContext& context, const tenants::TenantDirectory& directory,
    const ConnectionKeys& connection, net::Request& request, const teamtailor::WebhookEvent& event,
    const std::string& client) {
  CallerTenant caller = authenticate_tenant(request, connection, directory);
  if (!caller.tenant) {
    return refuse_failed_credential(*context.auth_failures, client, "webhook: " + caller.error,
                                    net::Response::text(401, caller.error));
  }
  const tenants::Tenant& tenant = *caller.tenant;
  const std::string tenant_budget = tenant_key(tenant.id());
  if (auto limited = refuse_if_limited(*context.auth_failures, tenant_budget)) return *limited;
  if (tenant.settings.company_uuid && event.company.uuid != *tenant.settings.company_uuid) {
    context.auth_failures->failed(tenant_budget, "webhook: another company.uuid");
    return refuse(request.request_id, 403,
                  "This integration is activated for another company; the webhook was refused.",
                  tenant.id());
  }

  std::string provider_name, vendor_test;
  if (event.test_id.empty() ||
      !teamtailor::split_test_option_id(event.test_id, provider_name, vendor_test)) {
    return refuse(request.request_id, 422, "No test was selected. Pick a test and send again.",
                  tenant.id());
  }
  const tenants::ProviderEntry* provider = tenant.provider(provider_name);
  if (!provider) {
    return refuse(request.request_id, 422,
                  "The test '" + event.test_id + "' is not offered to your company.", tenant.id());
  }
  if (!provider->instance) {
    return refuse(request.request_id, 422,
                  "'" + provider_name +
                      "' is disabled for your company; ask your ttbridge "
                      "operator to enable it.",
                  tenant.id());
  }
  // Only a known list can refuse a test; a vendor that is briefly down must not lose an order.
  if (context.catalog->offers(provider->instance, vendor_test) == tenants::TestOffer::not_offered) {
    return refuse(request.request_id, 422,
                  "The test '" + event.test_id + "' is not offered to your company.", tenant.id());
  }
  if (event.candidate.email.empty()) {
    return refuse(request.request_id, 422,
                  "The candidate has no email address; add one to the profile and send again.",
                  tenant.id());
  }

  store::NewOrder order;
  order.id = event.partner_result_id;
  order.event_id = event.event_id;
  order.tenant = tenant.id();
  order.provider = provider_name;
  order.test_id = vendor_test;
  order.company_uuid = event.company.uuid;
  order.candidate_json = candidate_json(event.candidate);
  order.job_json = job_json(event.job);
  order.options_json = event.webhook_data_json;
  order.answer_status = 202;
  order.answer_body = R"({"partner_result_attributes":{"status":"sending"}})";

  return order;
}

net::Response refuse_replay(const std::string& request_id) {
  return refuse(request_id, 409,
                "This webhook's event id was already used with another body; send the test "
                "again from Teamtailor.");
}

// A store failure: 503, never 2xx, so that the recruiter sends the test again.
net::Response not_stored(const std::string& request_id, const std::string& tenant,
                         const std::string& error) {
  if (tenant.empty()) {
    ops::log_error("order_not_stored", {{"error", error}, {"request_id", request_id}});
  } else {
    ops::log_error("order_not_stored",
                   {{"tenant", tenant}, {"error", error}, {"request_id", request_id}});
  }
  return net::Response::text(503, "The order could not be stored; send it again shortly.");
}

// A refusal, and the sighting to record before it is answered: set once the signature verified,
// since the event id is spent from then on.
struct Refusal {
  net::Response response;
  std::optional<store::WebhookSighting> sighting;
};

// Everything up to the commit: the refusal to answer, or the order to store (with the webhook's
// sighting).
std::variant<Refusal, store::NewOrder> check_webhook(const PartnerRouteContext& context,
                                                     net::Request& request) {
  const std::string client = client_key(request);
  teamtailor::WebhookParse parsed = teamtailor::parse_webhook(request.body);
  if (!parsed.event) {
    return Refusal{refuse(request.request_id, 400, "Malformed webhook: " + parsed.error),
                   std::nullopt};
  }
  const teamtailor::WebhookEvent& event = *parsed.event;

  // The signature is checked with the webhook secret of the connection the credential claims; the
  // credential itself is verified later (admit_webhook), with that connection's API key.
  const auto& tt = context.main->teamtailor;
  auto directory = context.tenants->current();
  const ConnectionKeys connection = caller_connection(request, tt, *directory);
  auto verdict =
      teamtailor::verify_signature(request.header("Teamtailor-Signature").value_or(""),
                                   event.event_id, connection.webhook_secret->reveal(),
                                   context.now(), std::chrono::seconds(tt.signature_tolerance_s));
  if (verdict != teamtailor::SignatureVerdict::valid) {
    // Logged in aggregate by the limiter (auth_failures), not once per guess.
    const std::string reason =
        std::string("Teamtailor-Signature refused: ") + teamtailor::describe(verdict);
    return Refusal{refuse_failed_credential(*context.auth_failures, client, "webhook: " + reason,
                                            net::Response::text(401, reason)),
                   std::nullopt};
  }

  // The signature covers only the event id, so once it verified the id is spent. Its sighting
  // (the id with a digest of the body) is judged where it is recorded: in the order's own commit
  // when the webhook is accepted, alone before a refusal is answered. The same body again is a
  // retry and goes through every check again; any body under the id of an accepted order that
  // passes them only gets that order's stored answer (accept_order dedupes by event id), and one
  // a check refuses gets that refusal, the order going on unchanged; another body under the
  // id of a webhook never accepted is a replay and gets 409, whatever else it would have got. A
  // read ahead of the checks would cost every webhook a store round trip that only a replay needs.
  store::WebhookSighting sighting{event.event_id, teamtailor::body_digest(request.body)};

  auto admitted = admit_webhook(context, *directory, connection, request, event, client);
  if (auto* refusal = std::get_if<net::Response>(&admitted)) {
    return Refusal{std::move(*refusal), std::move(sighting)};
  }
  store::NewOrder order = std::get<store::NewOrder>(std::move(admitted));
  order.sighting_digest = std::move(sighting.body_digest);
  return order;
}

// A refusal after the signature verified is answered once its sighting is on disk; if another
// body got its sighting in first, this one is the replay now.
void answer_after_sighting(const PartnerRouteContext& context, Refusal refusal,
                           const std::string& request_id, const net::Respond& respond) {
  auto answer = [respond, request_id, refused = std::move(refusal.response)](
                    const store::Result<store::SightingOutcome>& recorded) noexcept {
    try {
      if (!recorded) {
        return respond(not_stored(
            request_id, "", "recording the webhook event id failed: " + recorded.error().message));
      }
      if (*recorded == store::SightingOutcome::other_body)
        return respond(refuse_replay(request_id));
      respond(refused);
    } catch (...) {
      respond(net::Response::text(500, "internal error\n"));  // ignored if the first got through
    }
  };
  context.orders->record_webhook_sighting_async(std::move(*refusal.sighting), std::move(answer));
}

// The answer once the store has judged the order (and its commit is durable).
net::Response answer_accepted(const store::Result<store::Accepted>& accepted,
                              const std::string& request_id, const std::string& tenant,
                              const std::string& provider_name) {
  if (!accepted) return not_stored(request_id, tenant, accepted.error().message);
  switch (accepted->outcome) {
    case store::Accepted::Outcome::created:
      ops::log_info("order_received", {{"tenant", tenant},
                                       {"provider", provider_name},
                                       {"order", accepted->order_id},
                                       {"request_id", request_id}});
      break;
    case store::Accepted::Outcome::duplicate:
      ops::log_info(
          "webhook_duplicate",
          {{"tenant", tenant}, {"order", accepted->order_id}, {"request_id", request_id}});
      break;
    case store::Accepted::Outcome::replay:
      return refuse_replay(request_id);
    case store::Accepted::Outcome::other_tenant:
      return refuse(request_id, 409,
                    "This result id belongs to another order; send the test again from "
                    "Teamtailor.",
                    tenant);
  }
  return net::Response::json(accepted->answer_status, accepted->answer_body);
}

}  // namespace

// Runs on the connection's I/O thread and never waits: the store answers when the commit is
// durable, on its own thread (docs/architecture.md, "The path of a webhook").
void receive_webhook(const PartnerRouteContext& context, net::Request& request,
                     const net::Respond& respond) {
  auto checked = check_webhook(context, request);
  if (auto* refusal = std::get_if<Refusal>(&checked)) {
    if (!refusal->sighting) return respond(std::move(refusal->response));
    return answer_after_sighting(context, std::move(*refusal), request.request_id, respond);
  }
  store::NewOrder order = std::get<store::NewOrder>(std::move(checked));
  // Runs on the store's thread: nothing may escape it.
  auto answer = [respond, request_id = request.request_id, tenant = order.tenant,
                 provider =
                     order.provider](const store::Result<store::Accepted>& accepted) noexcept {
    try {
      respond(answer_accepted(accepted, request_id, tenant, provider));
    } catch (...) {
      respond(net::Response::text(500, "internal error\n"));  // ignored if the first got through
    }
  };
  context.orders->accept_async(std::move(order), std::move(answer));
}

}  // namespace ttb::http
