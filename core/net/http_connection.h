#pragma once
// One accepted inbound connection: reads requests with the deadlines of ServerOptions, hands
// each to a worker, writes the answer, and keeps the connection for the next request or closes
// it. One implementation for TCP, TLS over TCP and Unix sockets (a template over the stream).
// Internal to core/net; http_server.cc accepts and calls these.

#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/context.hpp>

#include "net/server_state.h"

namespace ttb::net {

// The caller has already counted the connection in state->limits under `address`; the
// connection gives that count back when it ends, or at once when it cannot be made (then the
// error is thrown: std::bad_alloc, or the TLS stream's).
void serve_plain_connection(boost::asio::ip::tcp::socket socket, std::string address,
                            std::string remote, const std::shared_ptr<ServerState>& state);
void serve_tls_connection(boost::asio::ip::tcp::socket socket, std::string address,
                          std::string remote, const std::shared_ptr<ServerState>& state,
                          boost::asio::ssl::context& tls);
// A connection on a Unix socket (the admin listener's "unix:PATH"): `address` is the key of the
// per-address cap and `remote` what handlers see, the same for every local client.
void serve_local_connection(boost::asio::local::stream_protocol::socket socket, std::string address,
                            std::string remote, const std::shared_ptr<ServerState>& state);

}  // namespace ttb::net
