#pragma once
// What the SQLite phases (bench_main.cc) and the PostgreSQL phases (pg_phases.cc) of ttb_bench
// share, so that both stores are measured on the same tenants and the same request bytes: the
// tenants' names and tokens, signed webhooks as raw HTTP/1.1, waiting for the Teamtailor fake's
// cards, and how a load run is reported.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/teamtailor/fake_teamtailor.h"
#include "fakes/teamtailor/webhook_sender.h"
#include "load.h"
#include "net/http_client.h"

namespace ttb::bench {

std::string token_of(int tenant);   // tenant `tenant`'s activation token
std::string tenant_id(int tenant);  // "t0042"

// Raw HTTP/1.1 bytes of a client request, keep-alive.
std::string raw_request(const net::ClientRequest& r);

// `count` signed webhooks for `test`, each a fresh event and candidate (e-mail `tag`N@…), spread
// over `tenants` tenants.
std::vector<std::string> make_webhooks(const fakes::WebhookSender& sender, int tenants, int count,
                                       const std::string& test, const std::string& tag);

// Polls until the fake has `n` cards of `status` or `limit` passed; when it saw them.
std::optional<std::chrono::steady_clock::time_point> wait_writes(const fakes::FakeTeamtailor& tt,
                                                                 const std::string& status,
                                                                 std::size_t n,
                                                                 std::chrono::seconds limit);

nlohmann::json describe(const LoadResult& r);  // a load run, for build/bench.json's details
std::string load_average();                    // "1.00 0.80 0.60" (/proc/loadavg)

}  // namespace ttb::bench
