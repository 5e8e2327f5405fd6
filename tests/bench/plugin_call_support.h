#pragma once
// What the two plugin-call benchmarks share (plugin_call_bench.cc, in process;
// plugin_call_isolated_bench.cc, in a ttb-plugin-host child): host options with no HTTP and no
// log lines, and the timed loop of list_tests calls.

#include <benchmark/benchmark.h>

#include <memory>

#include "plugins/internal/plugin_host.h"

namespace ttb::bench {

class NoHttp : public net::HttpClient {
 public:
  net::ClientResponse send(const net::ClientRequest&) override {
    net::ClientResponse r;
    r.error = "no HTTP in the bench";
    return r;
  }
};

inline plugins::HostOptions quiet_host_options() {
  plugins::HostOptions options;
  options.http = std::make_shared<NoHttp>();
  options.log = [](const plugins::HostLogRecord&) {};
  return options;
}

// One list_tests call and the wait for its answer, per iteration.
inline void time_list_tests(benchmark::State& state, plugins::Provider& provider) {
  for (auto _ : state) {
    plugins::CallResult r = provider.list_tests().get();
    if (!r.ok()) {
      state.SkipWithError(r.detail.c_str());
      break;
    }
    benchmark::DoNotOptimize(r.json.data());
  }
}

}  // namespace ttb::bench
