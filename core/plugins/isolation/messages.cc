// Frame field layouts; see messages.h.

#include "plugins/isolation/messages.h"

#include <algorithm>
#include <charconv>

namespace ttb::plugins::isolation {
namespace {

std::string flag(bool b) {
  return b ? "1" : "0";
}

void put_headers(const net::Headers& headers, std::vector<std::string>& fields) {
  for (const auto& [name, value] : headers) {
    fields.push_back(name);
    fields.push_back(value);
  }
}

net::Headers headers_from(const Frame& frame, std::size_t first) {
  net::Headers headers;
  for (std::size_t i = first; i + 1 < frame.fields.size(); i += 2)
    headers.emplace_back(frame.fields[i], frame.fields[i + 1]);
  return headers;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto end = text.find('\n');
    out.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace

std::int64_t number_of(std::string_view text, std::int64_t fallback) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc{} && end == text.data() + text.size() ? v : fallback;
}

Frame to_frame(std::uint64_t instance, const CreateRequest& r) {
  return Frame{FrameKind::create,
               instance,
               {r.tenant, r.provider, r.plugin_path, r.config_json, std::to_string(r.abi_minor),
                flag(r.host_clock)}};
}

CreateRequest create_request_of(const Frame& f) {
  CreateRequest r;
  r.tenant = f.field(0);
  r.provider = f.field(1);
  r.plugin_path = f.field(2);
  r.config_json = f.field(3);
  r.abi_minor = static_cast<std::uint16_t>(number_of(f.field(4)));
  r.host_clock = f.field(5) == "1";
  return r;
}

Frame to_frame(std::uint64_t instance, const InstanceInfo& i) {
  std::string actions;
  for (const auto& a : i.actions) {
    if (!actions.empty()) actions += '\n';
    actions += a;
  }
  return Frame{FrameKind::created,
               instance,
               {flag(i.ok), i.error, i.plugin_id, i.plugin_version, flag(i.fetch_order),
                flag(i.cancel_order), flag(i.run_action), flag(i.fetch_document), actions}};
}

InstanceInfo instance_info_of(const Frame& f) {
  InstanceInfo i;
  i.ok = f.field(0) == "1";
  i.error = f.field(1);
  i.plugin_id = f.field(2);
  i.plugin_version = f.field(3);
  i.fetch_order = f.field(4) == "1";
  i.cancel_order = f.field(5) == "1";
  i.run_action = f.field(6) == "1";
  i.fetch_document = f.field(7) == "1";
  i.actions = split_lines(f.field(8));
  return i;
}

Frame to_frame(std::uint64_t call, const CallRequest& r) {
  return to_frame(call, CallRequest(r));  // the moving overload below, on a copy
}

CallRequest call_request_of(const Frame& f) {
  return call_request_of(Frame(f));
}

Frame to_frame(std::uint64_t call, CallRequest&& r) {
  const bool callback = r.operation == "handle_callback";
  Frame f{FrameKind::call, call, {}};
  f.fields.reserve(callback ? 6 + 2 * r.callback.headers.size() : 3);
  f.fields.push_back(std::to_string(r.instance));
  f.fields.push_back(std::move(r.operation));
  f.fields.push_back(std::move(r.payload));
  if (callback) {
    f.fields.push_back(std::move(r.callback.method));
    f.fields.push_back(std::move(r.callback.path));
    f.fields.push_back(std::move(r.callback.order_json));
    put_headers(r.callback.headers, f.fields);
  }
  return f;
}

CallRequest call_request_of(Frame&& f) {
  CallRequest r;
  const bool callback = f.field(1) == "handle_callback";
  if (callback) {
    r.callback.headers = headers_from(f, 6);
    if (f.fields.size() > 5) r.callback.order_json = std::move(f.fields[5]);
    if (f.fields.size() > 4) r.callback.path = std::move(f.fields[4]);
    if (f.fields.size() > 3) r.callback.method = std::move(f.fields[3]);
  }
  r.instance = static_cast<std::uint64_t>(number_of(f.field(0)));
  if (f.fields.size() > 2) r.payload = std::move(f.fields[2]);
  if (f.fields.size() > 1) r.operation = std::move(f.fields[1]);
  return r;
}

Frame to_frame(std::uint64_t call, const CallResult& r) {
  return to_frame(call, CallResult(r));
}

Frame to_frame(std::uint64_t call, CallResult&& r) {
  Frame f{FrameKind::result, call, {}};
  f.fields.reserve(4);
  f.fields.push_back(std::to_string(static_cast<int>(r.status)));
  f.fields.push_back(std::move(r.json));
  f.fields.push_back(std::move(r.detail));
  f.fields.push_back(r.retry_after ? std::to_string(r.retry_after->count()) : std::string());
  return f;
}

CallResult call_result_of(Frame&& f) {
  CallResult r;
  const std::int64_t status = number_of(f.field(0), -1);
  if (status < 0 || status > static_cast<int>(CallStatus::crashed)) {
    r.status = CallStatus::internal;
    r.detail = "the plugin process answered with an unknown status";
    return r;
  }
  r.status = static_cast<CallStatus>(status);
  if (!f.field(3).empty()) r.retry_after = std::chrono::milliseconds(number_of(f.field(3)));
  if (f.fields.size() > 2) r.detail = std::move(f.fields[2]);
  if (f.fields.size() > 1) r.json = std::move(f.fields[1]);
  return r;
}

CallResult call_result_of(const Frame& f) {
  return call_result_of(Frame(f));
}

Frame to_frame(const HostLogRecord& r) {
  return Frame{FrameKind::log,
               0,
               {std::to_string(static_cast<int>(r.level)), r.event, r.tenant, r.provider, r.plugin,
                r.message}};
}

HostLogRecord log_record_of(const Frame& f) {
  auto cut = [](std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return std::string(text);
    return std::string(text.substr(0, limit)) + "... [" + std::to_string(text.size() - limit) +
           " bytes cut]";
  };
  HostLogRecord r;
  const std::int64_t level = number_of(f.field(0), 1);
  r.level = level >= 0 && level <= 3 ? static_cast<LogLevel>(level) : LogLevel::info;
  r.event = cut(f.field(1), kMaxChildLogName);
  r.tenant = cut(f.field(2), kMaxChildLogName);
  r.provider = cut(f.field(3), kMaxChildLogName);
  r.plugin = cut(f.field(4), kMaxChildLogName);
  r.message = cut(f.field(5), kMaxChildLogMessage);
  if (std::find(host_event::kAll.begin(), host_event::kAll.end(), r.event) ==
      host_event::kAll.end()) {
    r.message = "[" + r.event + "] " + r.message;
    r.event = host_event::kLog;
  }
  return r;
}

Frame to_frame(std::uint64_t id, const HttpRequest& r) {
  Frame f{
      FrameKind::http,
      id,
      {r.tenant, r.provider, r.plugin, r.request.method, r.request.url, r.request.body,
       std::to_string(r.request.timeout.count()), std::to_string(r.request.max_response_bytes)}};
  put_headers(r.request.headers, f.fields);
  return f;
}

HttpRequest http_request_of(const Frame& f) {
  HttpRequest r;
  r.tenant = f.field(0);
  r.provider = f.field(1);
  r.plugin = f.field(2);
  r.request.method = f.field(3);
  r.request.url = f.field(4);
  r.request.body = f.field(5);
  r.request.timeout = std::chrono::milliseconds(number_of(f.field(6), 10000));
  r.request.max_response_bytes = static_cast<std::size_t>(number_of(f.field(7), 0));
  r.request.headers = headers_from(f, 8);
  return r;
}

Frame to_frame(std::uint64_t id, const net::ClientResponse& r) {
  Frame f{FrameKind::http_result, id, {std::to_string(r.status), r.body, r.error}};
  put_headers(r.headers, f.fields);
  // An answer the child could not read (thousands of headers fit in the client's header limit)
  // would break its stream: the plugin gets a failed request instead.
  if (const std::string why = oversize(f); !why.empty()) {
    return Frame{
        FrameKind::http_result,
        id,
        {"0", "",
         "the vendor's answer is too large to pass to the plugin's process (" + why + ")"}};
  }
  return f;
}

net::ClientResponse http_response_of(const Frame& f) {
  net::ClientResponse r;
  r.status = static_cast<int>(number_of(f.field(0)));
  r.body = f.field(1);
  r.error = f.field(2);
  r.headers = headers_from(f, 3);
  return r;
}

}  // namespace ttb::plugins::isolation
