#pragma once
// What each frame kind carries (docs/plugin-isolation.md, "Protocol"): the encoding of creates,
// calls, results, log lines, HTTP requests and answers as frame fields. Both ends use these, so
// the two sides cannot disagree on a field's position.

#include <cstdint>
#include <string>
#include <vector>

#include "net/http_types.h"
#include "plugins/internal/plugin_host.h"
#include "plugins/isolation/frame.h"
#include "plugins/provider.h"

namespace ttb::plugins::isolation {

// create: make one instance of the plugin at `plugin_path` in the child.
struct CreateRequest {
  std::string tenant;
  std::string provider;
  std::string plugin_path;
  std::string config_json;
  std::uint16_t abi_minor = 0;
  bool host_clock = false;  // now_ms() asks the daemon (a test clock) instead of the system
};
Frame to_frame(std::uint64_t instance, const CreateRequest& request);
CreateRequest create_request_of(const Frame& frame);

// created: what the engine's Provider exposes without a call.
struct InstanceInfo {
  bool ok = false;
  std::string error;  // when !ok: what failed, naming the plugin file
  std::string plugin_id;
  std::string plugin_version;
  bool fetch_order = false;
  bool cancel_order = false;
  bool run_action = false;
  bool fetch_document = false;
  std::vector<std::string> actions;
};
Frame to_frame(std::uint64_t instance, const InstanceInfo& info);
InstanceInfo instance_info_of(const Frame& frame);

// call: fields instance, operation, payload; handle_callback adds method, path, order_json and
// the headers as name/value pairs (the payload is the body).
struct CallRequest {
  std::uint64_t instance = 0;
  std::string operation;  // list_tests, create_order, ..., handle_callback
  std::string payload;
  CallbackRequest callback;  // handle_callback only (its body is `payload`)
};
Frame to_frame(std::uint64_t call, const CallRequest& request);
CallRequest call_request_of(const Frame& frame);
// The same, moving the payloads instead of copying them (the hot path of every call).
Frame to_frame(std::uint64_t call, CallRequest&& request);
CallRequest call_request_of(Frame&& frame);

Frame to_frame(std::uint64_t call, const CallResult& result);
CallResult call_result_of(const Frame& frame);
Frame to_frame(std::uint64_t call, CallResult&& result);
CallResult call_result_of(Frame&& frame);

Frame to_frame(const HostLogRecord& record);
// A child's line, read as untrusted (a plugin can write its own frames on fd 3): the message is
// cut to kMaxChildLogMessage bytes and the names to kMaxChildLogName, and an event the child's
// host does not log becomes `plugin_log`, with the name it gave at the start of the message (a
// plugin cannot log as the daemon's supervisor, `plugin_quarantined` say).
HostLogRecord log_record_of(const Frame& frame);
// Four times plugin_log's own cut (4 KiB), for the host's longer lines.
inline constexpr std::size_t kMaxChildLogMessage = std::size_t{16} * 1024;
inline constexpr std::size_t kMaxChildLogName = 256;

// http: the request and whose it is (for logs and metrics on the daemon's side).
struct HttpRequest {
  std::string tenant;
  std::string provider;
  std::string plugin;
  net::ClientRequest request;
};
Frame to_frame(std::uint64_t id, const HttpRequest& request);
HttpRequest http_request_of(const Frame& frame);
Frame to_frame(std::uint64_t id, const net::ClientResponse& response);
net::ClientResponse http_response_of(const Frame& frame);

// Decimal numbers in fields; `fallback` when the text is not one.
std::int64_t number_of(std::string_view text, std::int64_t fallback = 0);

}  // namespace ttb::plugins::isolation
