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
    reported_.insert(event.plugin);
    quarantined_.Add({{"plugin", event.plugin}}).Set(1);
  }
}

void PluginProcessMetrics::show_quarantined(
    const std::function<std::vector<std::string>()>& quarantined) {
  {
    std::lock_guard lock(quarantine_mu_);
    reported_.clear();
  }
  // Asked outside the lock: it may drop the last hold on a plugin process, whose destructor
  // joins a thread that may be reporting a quarantine (on_event) right then.
  const std::vector<std::string> now = quarantined();
  std::lock_guard lock(quarantine_mu_);
  // prometheus-cpp cannot list a family's children; the gauges of plugins that were quarantined
  // are found through Collect(). A quarantine reported since the list was asked for stays.
  for (const auto& family : quarantined_.Collect())
    for (const auto& metric : family.metric)
      for (const auto& label : metric.label)
        if (label.name == "plugin" && !reported_.contains(label.value))
          quarantined_.Add({{"plugin", label.value}}).Set(0);
  for (const auto& plugin : now) quarantined_.Add({{"plugin", plugin}}).Set(1);
}

}  // namespace ttb::app
