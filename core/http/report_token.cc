#include "http/report_token.h"

#include <charconv>

#include "teamtailor/crypto.h"

namespace ttb::http {
namespace {

// Binds the MAC to this use, so that no other HMAC made with the same key (should an operator
// reuse a secret) can pass for a report link, and a later token format cannot pass for this one.
constexpr std::string_view kDomain = "ttbridge report link v1";
constexpr std::size_t kMaxFieldBytes = 512;

void append_field(std::string& name, std::string_view field) {
  name += std::to_string(field.size());
  name += ':';
  name.append(field);
}

std::string encode_name(const ReportDocument& document) {
  std::string name;
  append_field(name, document.tenant);
  append_field(name, document.order_id);
  append_field(name, document.document);
  return name;
}

// Reads one "<length>:<bytes>" field from the front of `rest`; nullopt when it is not one.
std::optional<std::string> take_field(std::string_view& rest) {
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 3) return std::nullopt;
  if (rest[0] == '0' && colon > 1) return std::nullopt;  // one spelling per length
  std::size_t length = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + colon, length);
  if (error != std::errc() || end != rest.data() + colon) return std::nullopt;
  if (length > kMaxFieldBytes || rest.size() - colon - 1 < length) return std::nullopt;
  std::string field(rest.substr(colon + 1, length));
  rest.remove_prefix(colon + 1 + length);
  return field;
}

std::string mac(std::string_view key, std::string_view name) {
  std::string message(kDomain);
  message += '\0';
  message.append(name);
  return std::string(teamtailor::as_view(teamtailor::hmac_sha256(key, message)));
}

}  // namespace

std::string attachment_document(std::size_t index) {
  std::string document = "attachment-";
  document += std::to_string(index);
  return document;
}

std::optional<std::size_t> attachment_index(std::string_view document) {
  constexpr std::string_view kPrefix = "attachment-";
  if (!document.starts_with(kPrefix)) return std::nullopt;
  const std::string_view digits = document.substr(kPrefix.size());
  if (digits.empty() || digits.size() > 3 || (digits[0] == '0' && digits.size() > 1)) {
    return std::nullopt;
  }
  std::size_t index = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return index;
}

std::string sign_report_token(std::string_view key, const ReportDocument& document) {
  const std::string name = encode_name(document);
  std::string token = teamtailor::base64url_encode(name);
  token += '.';
  token += teamtailor::base64url_encode(mac(key, name));
  return token;
}

std::optional<ReportDocument> verify_report_token(std::string_view token,
                                                  const std::vector<std::string>& keys) {
  if (token.size() > kMaxReportTokenChars) return std::nullopt;
  const auto dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto name = teamtailor::base64url_decode(token.substr(0, dot));
  const auto given = teamtailor::base64url_decode(token.substr(dot + 1));
  if (!name || !given) return std::nullopt;
  // One spelling per token: the decoder ignores a last character's unused bits, so without this
  // a link could be varied without breaking its MAC.
  if (teamtailor::base64url_encode(*name) != token.substr(0, dot) ||
      teamtailor::base64url_encode(*given) != token.substr(dot + 1)) {
    return std::nullopt;
  }

  bool verified = false;
  for (const std::string& key : keys) {
    // Every key is tried, so the time taken does not tell which one matched.
    if (!key.empty() && teamtailor::equal_constant_time(mac(key, *name), *given)) verified = true;
  }
  if (!verified) return std::nullopt;

  // Only a name this code signed gets here, but it is read as strictly as any input.
  std::string_view rest = *name;
  auto tenant = take_field(rest);
  auto order_id = tenant ? take_field(rest) : std::nullopt;
  auto document = order_id ? take_field(rest) : std::nullopt;
  if (!document || !rest.empty()) return std::nullopt;
  return ReportDocument{std::move(*tenant), std::move(*order_id), std::move(*document)};
}

}  // namespace ttb::http
