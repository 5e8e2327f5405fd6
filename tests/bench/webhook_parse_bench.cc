// webhook_parse_ns: teamtailor::parse_webhook on the body the load phases send (the fake
// Teamtailor's make_webhook_body), on one thread and on eight at once, as the HTTP workers call it.
// Google Benchmark picks the iteration count; run by scripts/bench.

#include <benchmark/benchmark.h>

#include <string>

#include "fakes/teamtailor/webhook_sender.h"
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

}  // namespace

BENCHMARK_MAIN();
