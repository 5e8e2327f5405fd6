#pragma once
// An outbound client that holds no thread while a request is out: every request, on any number
// of connections, runs on one I/O thread of the client's own (Boost.Beast over Asio, OpenSSL for
// https://). For callers that can take the answer in a callback (the plugins' HTTP: a plugin asks,
// and its answer is handed to the plugin later); a caller that blocks in send() pays a hand-over
// to that thread and back, so the engine's own blocking callers keep make_http_client().
//
// Same contract as make_http_client(): the same URL checks and errors, TLS verification against
// the system's trust store (or ca_file) with the host name checked, one deadline per request for
// the whole exchange, the response size limit, and kept-alive connections per scheme://host:port
// that are reused only after a complete exchange.

#include <memory>

#include "net/http_client.h"

namespace ttb::net {

// Starts the client's I/O thread ("ttb-http-out"); the destructor ends every request still out
// (each gets its `done` with an error) and joins it. send() must not be called from a `done`:
// that runs on the I/O thread, which send() would wait on.
std::unique_ptr<HttpClient> make_async_http_client(const HttpClientOptions& options = {});

}  // namespace ttb::net
