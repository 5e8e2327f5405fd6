#pragma once
// The handlers behind add_partner_routes(), one file per group, declared here so that
// partner_routes.cc only registers them.

#include "http/partner_routes.h"

namespace ttb::http {

// catalog_routes.cc
net::Response activation_form(const PartnerRouteContext& context, net::Request& request);
net::Response validate_activation(const PartnerRouteContext& context, net::Request& request);
net::Response test_picker(const PartnerRouteContext& context, net::Request& request);

// webhook_route.cc: answers through `respond` once the order's commit is durable.
void receive_webhook(const PartnerRouteContext& context, net::Request& request,
                     const net::Respond& respond);

// action_routes.cc
net::Response run_card_action(const PartnerRouteContext& context, net::Request& request);

// callback_route.cc
net::Response receive_vendor_callback(const PartnerRouteContext& context, net::Request& request);

// report_route.cc
net::Response serve_report(const PartnerRouteContext& context, net::Request& request);

}  // namespace ttb::http
