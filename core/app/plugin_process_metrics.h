#pragma once
// The metrics of plugin isolation (docs/plugin-isolation.md): deaths of ttb-plugin-host children
// by plugin and reason, and which plugins are quarantined. Names are in docs/operations.md.

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
  // After a reload lifted quarantines: 1 for `quarantined` (a plugin that died again during the
  // reload), 0 for every other plugin.
  void show_quarantined(const std::vector<std::string>& quarantined);

 private:
  prometheus::Family<prometheus::Counter>& deaths_;
  prometheus::Family<prometheus::Gauge>& quarantined_;
};

}  // namespace ttb::app
