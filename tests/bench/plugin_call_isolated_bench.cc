// plugin_call_ns_isolated: plugin_call_ns (plugin_call_bench.cc) with the plugin in a
// ttb-plugin-host child (docs/plugin-isolation.md): the call's frame to the child, the child's
// PluginHost, and the answer's frame back. Run by scripts/bench in the same binary.

#include <benchmark/benchmark.h>

#include <string>

#include "plugins/isolation/isolated_host.h"

namespace {

class NoHttp : public ttb::net::HttpClient {
 public:
  ttb::net::ClientResponse send(const ttb::net::ClientRequest&) override {
    ttb::net::ClientResponse r;
    r.error = "no HTTP in the bench";
    return r;
  }
};

void BM_PluginCallIsolated(benchmark::State& state) {
  ttb::plugins::isolation::IsolationOptions options;
  options.host.http = std::make_shared<NoHttp>();
  options.host.log = [](const ttb::plugins::HostLogRecord&) {};
  ttb::plugins::isolation::IsolatedHost host(options);
  auto made =
      host.create_provider("bench", "noop", TTB_BENCH_NOOP_PLUGIN, nlohmann::json::object());
  if (!made.provider) {
    state.SkipWithError(made.error.c_str());
    return;
  }
  for (auto _ : state) {
    ttb::plugins::CallResult r = made.provider->list_tests().get();
    if (!r.ok()) {
      state.SkipWithError(r.detail.c_str());
      break;
    }
    benchmark::DoNotOptimize(r.json.data());
  }
}
BENCHMARK(BM_PluginCallIsolated)->UseRealTime();

}  // namespace
