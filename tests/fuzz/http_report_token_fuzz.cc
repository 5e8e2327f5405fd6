// The token of GET /reports/{token} (core/http/report_token.h) on any text: verifying never
// crashes, and accepts only what signing under that key produces. Input: the token; a second
// check signs the input split into three fields and verifies the result round-trips.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "http/report_token.h"

namespace http = ttb::http;

namespace {

const std::string kKey = "fuzz-report-link-key-0123456789abcdef";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ttb::fuzz::as_text(data, size);

  // Whatever it is, a verified token is one this key signed, byte for byte.
  if (auto document = http::verify_report_token(text, {kKey})) {
    TTB_FUZZ_CHECK(http::sign_report_token(kKey, *document) == text);
  }

  // Any three fields (split at the first two '\n') survive a round trip, and only under the key.
  const auto first = text.find('\n');
  const auto second = first == std::string_view::npos ? first : text.find('\n', first + 1);
  if (second != std::string_view::npos) {
    const http::ReportDocument document{std::string(text.substr(0, first)),
                                        std::string(text.substr(first + 1, second - first - 1)),
                                        std::string(text.substr(second + 1))};
    const std::string token = http::sign_report_token(kKey, document);
    const bool short_fields = document.tenant.size() <= 512 && document.order_id.size() <= 512 &&
                              document.document.size() <= 512;
    const bool fits = token.size() <= http::kMaxReportTokenChars;
    const auto back = http::verify_report_token(token, {kKey});
    TTB_FUZZ_CHECK(back.has_value() == (short_fields && fits));
    if (back) TTB_FUZZ_CHECK(*back == document);
    TTB_FUZZ_CHECK(!http::verify_report_token(token, {"another-key"}));
  }
  return 0;
}
