#include "app/plugin_process_metrics.h"

namespace ttb::app {

PluginProcessMetrics::PluginProcessMetrics(ops::Metrics& metrics)
    : deaths_(prometheus::BuildCounter()
                  .Name("ttbridge_plugin_process_deaths_total")
                  .Help("ttb-plugin-host children that died, by plugin and reason (crash: the "
                        "plugin's process died; deadline: killed after a call passed its "
                        "deadline; create_timeout: killed after creating an instance passed its "
                        "deadline)")
                  .Register(metrics.registry())),
      quarantined_(prometheus::BuildGauge()
                       .Name("ttbridge_plugin_quarantined")
                       .Help("1 while a plugin is quarantined for dying too often; calls to it "
                             "fail fast until the next reload")
                       .Register(metrics.registry())) {}

void PluginProcessMetrics::on_event(const plugins::isolation::ProcessEvent& event) {
  using Kind = plugins::isolation::ProcessEvent::Kind;
  if (event.kind == Kind::died) {
    deaths_.Add({{"plugin", event.plugin}, {"reason", event.reason}}).Increment();
  } else {
    std::lock_guard lock(quarantine_mu_);
    quarantined_.Add({{"plugin", event.plugin}}).Set(1);
  }
}

void PluginProcessMetrics::show_quarantined(
    const std::function<std::vector<std::string>()>& quarantined) {
  std::lock_guard lock(quarantine_mu_);
  // prometheus-cpp cannot list a family's children; the gauges of plugins that were quarantined
  // are found by setting every known one to 0 through Collect().
  for (const auto& family : quarantined_.Collect())
    for (const auto& metric : family.metric)
      for (const auto& label : metric.label)
        if (label.name == "plugin") quarantined_.Add({{"plugin", label.value}}).Set(0);
  for (const auto& plugin : quarantined()) quarantined_.Add({{"plugin", plugin}}).Set(1);
}

}  // namespace ttb::app
