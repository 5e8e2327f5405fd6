// The webhook route's own checks, each alone: parse_webhook on the body the load phases send (the
// fake Teamtailor's make_webhook_body), verify_signature on its Teamtailor-Signature, and the
// provider key's JWT. On one thread and on eight at once, as the HTTP workers call them. Google
// Benchmark picks the iteration count; run by scripts/bench.

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "fakes/teamtailor/webhook_sender.h"
#include "teamtailor/provider_key.h"
#include "teamtailor/signature.h"
#include "teamtailor/webhook.h"

namespace {

void BM_ParseWebhook(benchmark::State& state) {
  ttb::fakes::WebhookParams params;
  const std::string body = ttb::fakes::make_webhook_body(params);
  for (auto _ : state) {
    ttb::teamtailor::WebhookParse parse = ttb::teamtailor::parse_webhook(body);
    if (!parse.event) {
      state.SkipWithError(parse.error.c_str());
      break;
    }
    benchmark::DoNotOptimize(parse.event->event_id.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_ParseWebhook)->UseRealTime();
BENCHMARK(BM_ParseWebhook)->Threads(8)->UseRealTime();

void BM_VerifySignature(benchmark::State& state) {
  const std::string secret = "whsec-bench-secret";
  const std::string event_id = ttb::fakes::random_uuid();
  const auto now = std::chrono::system_clock::now();
  const std::int64_t t =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::string header = ttb::teamtailor::sign_header(secret, t, event_id);
  for (auto _ : state) {
    const auto verdict =
        ttb::teamtailor::verify_signature(header, event_id, secret, now, std::chrono::seconds(300));
    if (verdict != ttb::teamtailor::SignatureVerdict::valid) {
      state.SkipWithError("the signature did not verify");
      break;
    }
  }
}
BENCHMARK(BM_VerifySignature)->UseRealTime();
BENCHMARK(BM_VerifySignature)->Threads(8)->UseRealTime();

// The provider key as the route reads it: the claimed token picks the connection, then the JWT is
// verified with that connection's API key.
void BM_ProviderKey(benchmark::State& state) {
  const std::string api_key = "partner-bench-api-key";
  const std::string authorization =
      "Bearer " + ttb::teamtailor::make_jwt_hs256(
                      {{"externalTriggerToken", ttb::fakes::random_uuid()}}, api_key);
  const auto now = std::chrono::system_clock::now();
  for (auto _ : state) {
    const auto claimed = ttb::teamtailor::claimed_activation_token(authorization);
    const auto key = ttb::teamtailor::read_provider_key(authorization, api_key, now);
    if (!claimed || !key.ok) {
      state.SkipWithError("the provider key did not verify");
      break;
    }
  }
}
BENCHMARK(BM_ProviderKey)->UseRealTime();
BENCHMARK(BM_ProviderKey)->Threads(8)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
