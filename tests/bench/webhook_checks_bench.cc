// The webhook route's own checks, each alone: parse_webhook on the body the load phases send (the
// fake Teamtailor's make_webhook_body), and verify_signature on its Teamtailor-Signature. On one
// thread and on eight at once, as the HTTP workers call them. Google Benchmark picks the iteration
// count; run by scripts/bench.

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "fakes/teamtailor/webhook_sender.h"
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

}  // namespace

BENCHMARK_MAIN();
