#include "app/cli_records.h"

#include "app/cli_output.h"
#include "orders/result_view.h"

namespace ttb::app::cli {

std::string id_field(const std::string& object_json) {
  const auto parsed = nlohmann::json::parse(object_json, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("id")) return "";
  const auto& id = parsed["id"];
  if (id.is_string()) return id.get<std::string>();
  if (id.is_number_integer()) return std::to_string(id.get<long long>());
  return "";
}

nlohmann::json order_json(const store::OrderRecord& order) {
  return {
      {"id", order.id},
      {"tenant", order.tenant},
      {"provider", order.provider},
      {"test_id", order.test_id},
      {"status", order.status},
      {"failure_reason", order.failure_reason},
      {"vendor_order_id", order.vendor_order_id},
      {"candidate_id", id_field(order.candidate_json)},
      {"job_id", id_field(order.job_json)},
      {"result_version", order.result_version},
      {"pushed_version", order.pushed_version},
      {"created_at", format_time(order.created_at, true)},
      {"updated_at", format_time(order.updated_at, true)},
  };
}

nlohmann::json order_detail_json(const store::OrderRecord& order) {
  nlohmann::json out = order_json(order);
  const orders::ResultView view = orders::ResultView::from_json(order.result_json);
  out["result"] = {
      {"status", view.status},
      {"score", view.score ? nlohmann::json(*view.score) : nlohmann::json(nullptr)},
      {"summary", without_personal_data(view.summary)},
      {"has_report_url", !view.url.empty()},
      {"attachments", view.attachments.size()},
  };
  return out;
}

nlohmann::json job_json(const store::JobRecord& job) {
  return {
      {"id", job.id},
      {"order_id", job.order_id},
      {"tenant", job.tenant},
      {"provider", job.provider},
      {"kind", store::to_string(job.kind)},
      {"state", store::to_string(job.state)},
      {"attempts", job.attempts},
      {"max_attempts", job.max_attempts},
      {"run_at", format_time(job.run_at, true)},
      {"last_error", without_personal_data(job.last_error)},
      {"created_at", format_time(job.created_at, true)},
      {"updated_at", format_time(job.updated_at, true)},
  };
}

nlohmann::json timeline_json(const store::TimelineEntry& entry) {
  return {
      {"at", format_time(entry.at, true)},
      {"source", entry.source},
      {"event", entry.event},
      {"detail", without_personal_data(entry.detail)},
  };
}

}  // namespace ttb::app::cli
