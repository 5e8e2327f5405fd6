#include "net/tls_trust.h"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace ttb::net {
namespace {

std::string openssl_error() {
  char text[256] = "unknown error";
  if (const unsigned long code = ERR_get_error(); code != 0)
    ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

X509_STORE* load_store(const std::string& ca_file) {
  X509_STORE* store = X509_STORE_new();
  if (store == nullptr)
    throw std::runtime_error("cannot make a TLS trust store: " + openssl_error());
  const int loaded = ca_file.empty() ? X509_STORE_set_default_paths(store)
                                     : X509_STORE_load_file(store, ca_file.c_str());
  if (loaded != 1) {
    X509_STORE_free(store);
    throw std::runtime_error((ca_file.empty()
                                  ? std::string("cannot load the system's trusted certificates")
                                  : "cannot load the trusted certificates of " + ca_file) +
                             ": " + openssl_error());
  }
  return store;
}

}  // namespace

void trust_certificates(SSL_CTX* context, const std::string& ca_file) {
  // Our reference to each store is dropped at exit; a context still alive then holds its own.
  using Store = std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)>;
  static std::mutex mutex;
  static std::map<std::string, Store> stores;
  X509_STORE* store = nullptr;
  {
    std::lock_guard lock(mutex);
    auto it = stores.find(ca_file);
    if (it == stores.end())
      it = stores.emplace(ca_file, Store(load_store(ca_file), &X509_STORE_free)).first;
    store = it->second.get();
  }
  SSL_CTX_set1_cert_store(context, store);  // the context takes a reference of its own
}

}  // namespace ttb::net
