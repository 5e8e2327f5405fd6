/* ttbridge plugin ABI, version 1.1: the only header a vendor plugin needs (C99, no dependencies).
 * A plugin is a shared library exporting one function, ttb_plugin_entry(); everything else is
 * reached through the tables below. The payloads that cross are UTF-8 JSON, documented with
 * examples in docs/plugin-abi.md; docs/plugin-guide.md shows how to write a plugin. The SDK
 * installs both in /usr/share/doc/ttbridge-sdk-dev/ (package ttbridge-sdk-dev), or in
 * share/doc/ttbridge-sdk-dev/ under the prefix of a `cmake --install`.
 *
 * Rules that hold for every member below (read once, they are not repeated each time):
 *
 * - Borrowed, never freed across. Every pointer handed to a function is valid only until that
 *   function returns (callbacks: until the callback returns). The receiver copies what it keeps.
 *   Nobody frees memory the other side allocated. Strings are ttb_str {ptr, len}: UTF-8, not
 *   necessarily NUL-terminated; ptr may be NULL when len is 0. Ids (get_interface,
 *   get_extension) are NUL-terminated C strings.
 * - Size-prefixed and append-only. Every struct but ttb_str and ttb_header starts with
 *   `uint32_t struct_size`, set by whoever fills it to sizeof() of the struct it was compiled
 *   with. Readers never read a member that lies beyond struct_size (treat it as absent/zero).
 *   Members are only ever added at the end, with a minor version bump; nothing is reordered,
 *   resized or removed within a major. ttb_str and ttb_header are frozen instead and carry no
 *   size: ttb_str is passed and embedded by value, and ttb_header is passed in arrays, whose
 *   stride is its size.
 * - Frozen codes. The numeric values of ttb_status and ttb_log_level never change. A reader that
 *   meets an unknown status treats it as TTB_STATUS_INTERNAL.
 * - No exception, longjmp or signal crosses the boundary. C++ plugins use plugin.hpp, whose
 *   trampolines catch everything.
 * - Thread tags, in the manner of CLAP:
 *     [strand]      the host calls this serially for one plugin instance: never two calls at
 *                   once on the same instance, but not necessarily from the same OS thread.
 *                   Plugins need no locks for per-instance state touched only here.
 *     [any-thread]  may be called from any thread, concurrently; the implementer synchronises.
 *     [load]        called by the loader, on whatever thread loads the plugin; must be cheap.
 * - Asynchronous calls. Each provider function receives a ttb_call handle and must lead to
 *   exactly one host->complete() for it: before returning or later (typically from an HTTP
 *   callback). The handle is a token, not memory: after complete() it is dead and must not be
 *   used again. The host enforces a deadline per call; a call that does not complete in time
 *   is reported as timed out, and a late or second completion is ignored and logged.
 * - No blocking. Plugin functions return promptly (milliseconds); all I/O goes through
 *   host->http_send. A plugin never starts its own network connections: the host owns TLS,
 *   proxies, timeouts, redaction and metrics, and tests point it at fakes.
 */
#ifndef TTBRIDGE_PLUGIN_H
#define TTBRIDGE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Versions
 *
 * Major: breaking change; host and plugin must agree exactly.
 * Minor: additions only (struct members at the end, new interface/extension ids). Negotiated:
 *        both sides use min(host minor, plugin minor) and neither touches anything newer.
 *
 * Changelog
 *   1.0  first version.
 *   1.1  ttb_provider.fetch_document (fresh report links or bytes); ttb_plugin_descriptor
 *        .config_schema, .sample_config and .actions; order updates may carry grade,
 *        duration_seconds, assessment_criteria and revision (JSON only, docs/plugin-abi.md).
 *        A 1.0 plugin keeps working: the host treats every 1.1 member as absent.
 */
#define TTB_ABI_MAJOR 1
#define TTB_ABI_MINOR 1

/* Passed as host_abi_major, asks the entry for identification only (see ttb_plugin_entry). */
#define TTB_ABI_PROBE_MAJOR 0

#if defined(_WIN32)
#define TTB_PLUGIN_EXPORT __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define TTB_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define TTB_PLUGIN_EXPORT
#endif

/* ---------------------------------------------------------------------------------------------
 * Status codes (frozen). Negative values are never used; unknown values mean INTERNAL.
 */
typedef int32_t ttb_status;

#define TTB_STATUS_OK 0
/* The request was malformed, or the vendor refused it (4xx other than 401/403/404/429).
 * Not retried. Malformed JSON input must give this. */
#define TTB_STATUS_INVALID 1
/* The plugin does not implement this call, action or interface. Not retried. */
#define TTB_STATUS_UNSUPPORTED 2
/* The vendor rejected the credentials (401/403). Not retried; the operator is told. */
#define TTB_STATUS_AUTH 3
/* The vendor does not know the order, candidate or test. Not retried. */
#define TTB_STATUS_NOT_FOUND 4
/* The vendor asked to slow down (429). Retried after retry_after_ms (ttb_completion). */
#define TTB_STATUS_RATE_LIMITED 5
/* Network failure, timeout or 5xx at the vendor. Retried with backoff. */
#define TTB_STATUS_VENDOR_UNAVAILABLE 6
/* The call was cancelled (host shutting down, order cancelled). */
#define TTB_STATUS_CANCELLED 7
/* A bug in the plugin (an exception, a broken contract). Not retried; the operator is told. */
#define TTB_STATUS_INTERNAL 8

/* 1 when the host may retry a call that ended with this status. */
static inline int ttb_status_is_retryable(ttb_status status) {
  return status == TTB_STATUS_RATE_LIMITED || status == TTB_STATUS_VENDOR_UNAVAILABLE;
}

/* Stable lowercase names, for logs: "ok", "invalid", ... ; "unknown" for other values. */
static inline const char* ttb_status_name(ttb_status status) {
  switch (status) {
    case TTB_STATUS_OK:
      return "ok";
    case TTB_STATUS_INVALID:
      return "invalid";
    case TTB_STATUS_UNSUPPORTED:
      return "unsupported";
    case TTB_STATUS_AUTH:
      return "auth";
    case TTB_STATUS_NOT_FOUND:
      return "not_found";
    case TTB_STATUS_RATE_LIMITED:
      return "rate_limited";
    case TTB_STATUS_VENDOR_UNAVAILABLE:
      return "vendor_unavailable";
    case TTB_STATUS_CANCELLED:
      return "cancelled";
    case TTB_STATUS_INTERNAL:
      return "internal";
    default:
      return "unknown";
  }
}

/* Log levels (frozen). */
typedef int32_t ttb_log_level;
#define TTB_LOG_DEBUG 0
#define TTB_LOG_INFO 1
#define TTB_LOG_WARN 2
#define TTB_LOG_ERROR 3

/* ---------------------------------------------------------------------------------------------
 * Plain values
 */

/* A borrowed UTF-8 byte string; not necessarily NUL-terminated. No struct_size, and it can never
 * grow: it is passed by value and embedded in other structs, whose layout would shift. */
typedef struct ttb_str {
  const char* ptr;
  size_t len;
} ttb_str;

/* One HTTP header; names compare case-insensitively. Borrowed like everything else.
 * No struct_size: headers are passed as arrays (`headers`, `header_count`), which both sides index
 * with their own sizeof(ttb_header), so its size is the array's stride and it can never grow. */
typedef struct ttb_header {
  ttb_str name;
  ttb_str value;
} ttb_header;

/* Opaque handle of one asynchronous call. Host-owned; a token, never dereferenced by the
 * plugin, dead after its complete(). */
typedef struct ttb_call ttb_call;

/* Opaque plugin instance. Plugin-owned from create() until destroy(). */
typedef struct ttb_plugin ttb_plugin;

/* ---------------------------------------------------------------------------------------------
 * Host services: a table the host passes to create(). The table and everything it points to
 * stay valid until destroy() of that instance returns; each instance gets its own table.
 */

/* An outbound HTTP request, performed by the host. */
typedef struct ttb_http_request {
  uint32_t struct_size;      /* sizeof(ttb_http_request) */
  ttb_str method;            /* "GET", "POST", ... */
  ttb_str url;               /* absolute http:// or https:// URL */
  const ttb_header* headers; /* may be NULL when header_count is 0 */
  size_t header_count;
  ttb_str body;        /* may be empty */
  uint32_t timeout_ms; /* whole request; 0 = the host's default (it caps large values) */
} ttb_http_request;

/* The answer to an http_send. */
typedef struct ttb_http_response {
  uint32_t struct_size;
  /* TTB_STATUS_OK when an HTTP answer arrived, whatever its code (a 503 is OK here: the plugin
   * maps codes). TTB_STATUS_VENDOR_UNAVAILABLE when none did (connection failed, TLS failed,
   * timeout, response too large, or not sent: a plugin process has at most 256 requests out at
   * once); `error` then says why. TTB_STATUS_CANCELLED when the host is shutting down. */
  ttb_status status;
  int32_t http_status; /* 200, 404, ...; 0 when no answer arrived */
  const ttb_header* headers;
  size_t header_count;
  ttb_str body;
  ttb_str error; /* transport failure text, empty otherwise; never has secrets */
} ttb_http_response;

/* [strand] Called exactly once per http_send that returned TTB_STATUS_OK, on the instance's
 * strand (never inside http_send itself), even when the call it served has already timed out.
 * `response` and everything it points to are borrowed until the callback returns. */
typedef void (*ttb_http_callback)(void* user_data, const ttb_http_response* response);

/* The outcome of one asynchronous call, passed to complete(). */
typedef struct ttb_completion {
  uint32_t struct_size; /* sizeof(ttb_completion) */
  ttb_status status;
  ttb_str json;            /* the call's result payload (docs/plugin-abi.md); empty on error */
  ttb_str detail;          /* human-readable error detail; no secrets, no candidate data */
  uint32_t retry_after_ms; /* with RATE_LIMITED or VENDOR_UNAVAILABLE: when to retry; 0 = unknown */
} ttb_completion;

typedef struct ttb_host ttb_host;
struct ttb_host {
  uint32_t struct_size; /* sizeof(ttb_host) as compiled into the host */
  uint16_t abi_major;   /* the host's ABI version; talk min(abi_minor, TTB_ABI_MINOR) */
  uint16_t abi_minor;
  void* host_data; /* reserved for the host; plugins do not touch it */

  /* [any-thread] Writes one log line, attributed by the host to this instance (plugin,
   * tenant, provider). `message` is borrowed. Never log secrets or candidate personal data. */
  void (*log)(const ttb_host* host, ttb_log_level level, ttb_str message);

  /* [any-thread] Starts an HTTP request performed by the host and returns at once.
   * `request` is borrowed for this call only (the host copies it). Returns TTB_STATUS_OK when
   * the request was accepted: `callback(user_data, response)` then runs exactly once, later,
   * on this instance's strand. Any other status (INVALID for a malformed request, CANCELLED
   * while shutting down) means the callback will never run. `user_data` is the plugin's and
   * must stay valid until the callback ran; the host never calls destroy() while a callback
   * is pending. */
  ttb_status (*http_send)(const ttb_host* host, const ttb_http_request* request,
                          ttb_http_callback callback, void* user_data);

  /* [any-thread] Completes an asynchronous call. Exactly once per call; `completion` and the
   * strings in it are borrowed (the host copies them). A second or late completion (after the
   * host's deadline) is ignored and logged: it is a plugin bug, but harmless. */
  void (*complete)(const ttb_host* host, ttb_call* call, const ttb_completion* completion);

  /* [any-thread] The host's clock: milliseconds since the Unix epoch, UTC. Use it rather than
   * the system clock, so tests can move time. */
  int64_t (*now_ms)(const ttb_host* host);

  /* [any-thread] Optional host features by id "ttb.ext.NAME/REV"; NULL when not offered.
   * The returned table is host-owned and valid until destroy(). */
  const void* (*get_extension)(const ttb_host* host, const char* id);
};

/* ---------------------------------------------------------------------------------------------
 * The provider interface, "ttb.provider/1": what a vendor plugin does. Every function is
 * [strand]. Each receives a call handle and completes it exactly once with the JSON shown
 * (docs/plugin-abi.md) or an error status. Malformed or unexpected JSON input completes with
 * TTB_STATUS_INVALID, never a crash.
 */
#define TTB_PROVIDER_INTERFACE_ID "ttb.provider/1"

/* A vendor's HTTP request to /callbacks/{tenant}/{provider}[/{rest}], passed raw so the plugin
 * can verify signatures over the exact bytes. Borrowed for the call. */
typedef struct ttb_callback_request {
  uint32_t struct_size;
  ttb_str method; /* "POST", ... */
  ttb_str path;   /* the {rest} part without a leading '/', "" for the bare route */
  const ttb_header* headers;
  size_t header_count;
  ttb_str body;       /* raw bytes, untrusted */
  ttb_str order_json; /* order context when {rest} names one of the host's orders, else "" */
} ttb_callback_request;

typedef struct ttb_provider {
  uint32_t struct_size; /* sizeof(ttb_provider) */

  /* [strand] Mandatory. The tests this account offers.
   * Completes with {"tests":[{"id","name","kind","description","duration_minutes"}]}. An id is
   * 1 to 200 bytes without control characters (ttbridge/test_list.hpp); one that is not makes
   * the host refuse the whole list. */
  void (*list_tests)(ttb_plugin* plugin, ttb_call* call);

  /* [strand] Mandatory. Orders a test for a candidate (sends the invitation).
   * `request_json`: the order request. Completes with an order update. */
  void (*create_order)(ttb_plugin* plugin, ttb_str request_json, ttb_call* call);

  /* [strand] Mandatory. Handles a vendor callback; `request` is untrusted input. Verify the
   * vendor's signature before trusting anything in it. Completes with
   * {"reply":{status,headers,body},"event_id"?,"updates":[order update...]}; an unverifiable
   * request completes OK with a 4xx reply and no updates, or with INVALID/AUTH. */
  void (*handle_callback)(ttb_plugin* plugin, const ttb_callback_request* request, ttb_call* call);

  /* [strand] Optional (NULL when the vendor has no polling). Reads an order's current state.
   * `order_json`: the order context. Completes with an order update. */
  void (*fetch_order)(ttb_plugin* plugin, ttb_str order_json, ttb_call* call);

  /* [strand] Optional. Cancels an order at the vendor. `order_json`: the order context.
   * Completes with an order update (status "failed", failure_reason "cancelled"). */
  void (*cancel_order)(ttb_plugin* plugin, ttb_str order_json, ttb_call* call);

  /* [strand] Optional. Runs a named action, {"action":"resend_invitation","order":{...}}.
   * Unknown actions complete with TTB_STATUS_UNSUPPORTED. Completes with an order update.
   * From 1.1 the descriptor's `actions` lists the names this function knows. */
  void (*run_action)(ttb_plugin* plugin, ttb_str action_json, ttb_call* call);

  /* ---- 1.1: read only when struct_size covers it and the negotiated minor is >= 1 ---- */

  /* [strand] Optional (NULL when the vendor's documents need no fetching). Asks the vendor for
   * a document of an order now, so that a link the host serves later (a stable report link)
   * never points at a vendor URL that has expired. `request_json`:
   * {"document":"report"|"attachment","url":<the URL last reported, or "">,"order":{order
   * context}}. Completes with {"url":"https://...","expires_at_ms"?:<Unix ms>} (a fresh link)
   * or {"content_type":"application/pdf","body_base64":"..."} (the bytes, at most 12 MiB:
   * the whole completion, base64 and all, must stay within the host's 16 MiB payload limit;
   * PDF, PNG, JPEG, GIF, WebP and text/plain are shown in the browser, any other type is
   * downloaded); NOT_FOUND when the vendor has no such document (yet). */
  void (*fetch_document)(ttb_plugin* plugin, ttb_str request_json, ttb_call* call);
} ttb_provider;

/* ---------------------------------------------------------------------------------------------
 * The plugin descriptor: a static table returned by ttb_plugin_entry. Plugin-owned, valid for
 * the life of the process (the host never unloads a plugin).
 *
 * The first six members (struct_size .. version) are the identity prefix: frozen for every
 * future major, so a host can always name a plugin and its version in an error.
 */
typedef struct ttb_plugin_descriptor {
  uint32_t struct_size; /* sizeof(ttb_plugin_descriptor) */
  uint16_t abi_major;   /* the ABI the plugin was built against (TTB_ABI_MAJOR/MINOR) */
  uint16_t abi_minor;
  const char* id;      /* stable lowercase plugin id, e.g. "checkr"; static */
  const char* name;    /* display name, e.g. "Checkr"; static */
  const char* version; /* the plugin's own version, semver, e.g. "1.4.0"; static */

  /* [strand] Creates an instance for one provider of one tenant. `host` stays valid until
   * destroy(); `config_json` (the provider's `config` object from the tenant file) is
   * borrowed for this call. On success stores the instance in *out_instance and returns
   * TTB_STATUS_OK. On failure returns a status (INVALID for a bad config) and writes a
   * NUL-terminated message, naming the offending setting but never its value, into
   * err[0..err_cap). No I/O: credentials are checked by the first real call. */
  ttb_status (*create)(const ttb_host* host, ttb_str config_json, ttb_plugin** out_instance,
                       char* err, size_t err_cap);

  /* [strand] Destroys an instance. Called once, after every call of the instance completed or
   * timed out and every HTTP callback ran. The plugin must not call the host afterwards:
   * completions still owed are simply dropped (the host already timed them out). */
  void (*destroy)(ttb_plugin* plugin);

  /* [strand] Returns a plugin-owned, static interface table for `id` (e.g.
   * TTB_PROVIDER_INTERFACE_ID gives a `const ttb_provider*`), or NULL when not implemented. */
  const void* (*get_interface)(ttb_plugin* plugin, const char* id);

  /* ---- 1.1: read only when struct_size covers them and abi_minor >= 1; each may be NULL ---- */

  /* The provider config's schema: NUL-terminated JSON text, static. A small JSON-Schema subset
   * (docs/plugin-abi.md, "Config schema"): an object schema whose `properties` use `type`
   * (string, integer, number, boolean, object, array), `required`, `properties` (nested
   * objects), `enum`, `description`, `default`, `secret` (true: never print the value) and
   * `title` (ignored; allowed for editors). The host checks tenant files against it (`ttbridge
   * config check`) before creating anything, and the plugin docs' config tables are generated
   * from it. NULL: no schema, nothing is checked before create(). */
  const char* config_schema;

  /* A config that create() accepts with no network (placeholder credentials, loopback URLs):
   * NUL-terminated JSON text, static. The conformance kit creates the plugin with it when no
   * --config is given; it must satisfy config_schema. NULL: the kit uses "{}". */
  const char* sample_config;

  /* The named actions run_action performs, e.g. {"resend_invitation", NULL}: a static,
   * NULL-terminated array of static lowercase names. The host offers a result-card button only
   * for actions listed here (cancel comes from cancel_order, not from this list). NULL or an
   * empty list: no named actions. */
  const char* const* actions;
} ttb_plugin_descriptor;

/* [load] The only exported symbol. Returns the plugin's static descriptor, or NULL when the
 * plugin cannot work with this host: host_abi_major != TTB_ABI_MAJOR (or a host minor too old
 * for what the plugin needs). Pure: no I/O, no allocation that outlives the call, no threads;
 * may be called several times.
 * host_abi_major == TTB_ABI_PROBE_MAJOR (0) is an identification probe: return the descriptor
 * anyway; the host reads only the identity prefix, to name both versions in its error. */
TTB_PLUGIN_EXPORT const ttb_plugin_descriptor* ttb_plugin_entry(uint16_t host_abi_major,
                                                                uint16_t host_abi_minor);

/* The entry's type, for hosts resolving the symbol. */
typedef const ttb_plugin_descriptor* (*ttb_plugin_entry_fn)(uint16_t host_abi_major,
                                                            uint16_t host_abi_minor);

#define TTB_PLUGIN_ENTRY_SYMBOL "ttb_plugin_entry"

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TTBRIDGE_PLUGIN_H */
