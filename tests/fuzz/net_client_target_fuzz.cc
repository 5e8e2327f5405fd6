// The outbound request's URL (core/net/client_target.h): a plugin chooses the URLs its requests
// go to. Input: the whole URL. Whatever is accepted must make a request line and a Host header
// that nothing can end early, and redacting any string must not fail.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "net/client_target.h"
#include "net/http_client.h"

namespace net = ttb::net;

namespace {

bool sendable(const std::string& s) {
  for (const char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string url(ttb::fuzz::as_text(data, size));
  (void)net::redact_url(url);
  std::string error;
  const std::optional<net::ClientTarget> target = net::client_target(url, error);
  if (!target) {
    TTB_FUZZ_CHECK(!error.empty());
    return 0;
  }
  TTB_FUZZ_CHECK(!target->host.empty());
  TTB_FUZZ_CHECK(target->port != 0);
  TTB_FUZZ_CHECK(!target->path_etc.empty() && target->path_etc.front() == '/');
  TTB_FUZZ_CHECK(target->path_etc.find('#') == std::string::npos);
  TTB_FUZZ_CHECK(sendable(target->path_etc));
  TTB_FUZZ_CHECK(sendable(target->host_header));
  TTB_FUZZ_CHECK(target->pool_key.rfind(target->tls ? "https://" : "http://", 0) == 0);
  return 0;
}
