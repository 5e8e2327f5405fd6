#include "net/request_target.h"

namespace ttb::net {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool percent_decode(std::string_view in, bool plus_is_space, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int high = hex_value(in[i + 1]);
      const int low = hex_value(in[i + 2]);
      if (high < 0 || low < 0) return false;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

// "http://host:8080/a?b" -> "/a?b"; "http://host" -> "/".
std::string_view strip_scheme_and_authority(std::string_view target) {
  const std::size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) return target;
  const std::string_view rest = target.substr(scheme_end + 3);
  const std::size_t path_start = rest.find_first_of("/?");
  if (path_start == std::string_view::npos) return "/";
  if (rest[path_start] == '?') return {};  // "http://host?x": no path; treated as malformed
  return rest.substr(path_start);
}

}  // namespace

bool parse_request_target(std::string_view target, std::string& path,
                          std::map<std::string, std::string>& query) {
  if (target.starts_with("http://") || target.starts_with("https://")) {
    target = strip_scheme_and_authority(target);
  }
  if (target.empty() || target.front() != '/') return false;
  if (const std::size_t hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  const std::size_t question = target.find('?');
  if (!percent_decode(target.substr(0, question), false, path)) return false;
  if (question == std::string_view::npos) return true;

  std::string_view rest = target.substr(question + 1);
  std::string name;
  std::string value;
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    if (!percent_decode(pair.substr(0, eq), true, name)) return false;
    if (eq == std::string_view::npos) {
      value.clear();
    } else if (!percent_decode(pair.substr(eq + 1), true, value)) {
      return false;
    }
    query[name] = value;
  }
  return true;
}

}  // namespace ttb::net
