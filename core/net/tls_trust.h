#pragma once
// The certificates an outbound TLS client trusts, loaded once per source for the whole process.
// The system's bundle is some 140 certificates and about a megabyte once parsed; each client's
// TLS context takes a reference to the one store instead of parsing it again.

#include <openssl/ssl.h>

#include <string>

namespace ttb::net {

// Makes `context` trust the certificates of `ca_file`, or the system's store (OpenSSL's default
// paths) when it is empty. Throws std::runtime_error naming the file when it cannot be loaded.
// Thread-safe; a store, once loaded, is kept until the process exits.
void trust_certificates(SSL_CTX* context, const std::string& ca_file);

}  // namespace ttb::net
