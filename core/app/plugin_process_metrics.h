#pragma once
// The metrics of plugin isolation (docs/plugin-isolation.md): deaths of ttb-plugin-host children
// by plugin and reason, and which plugins are quarantined. Names are in docs/operations.md.

#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include "ops/metrics.h"
#include "plugins/isolation/plugin_process.h"

namespace ttb::app {

class PluginProcessMetrics {
 public:
  explicit PluginProcessMetrics(ops::Metrics& metrics);
  // Called by the supervisors of the children, from their own threads.
  void on_event(const plugins::isolation::ProcessEvent& event);
  // After a reload lifted quarantines: 1 for the plugins `quarantined()` names (one that died
  // again during the reload), 0 for every other but one reported quarantined meanwhile.
  void show_quarantined(const std::function<std::vector<std::string>()>& quarantined);

 private:
  prometheus::Family<prometheus::Counter>& deaths_;
  prometheus::Family<prometheus::Gauge>& quarantined_;
  std::mutex quarantine_mu_;        // orders the gauge's writes
  std::set<std::string> reported_;  // quarantines reported since show_quarantined() began
};

}  // namespace ttb::app
