#include "config/references.h"

#include <fmt/format.h>

#include "ops/log.h"

namespace ttb::config {
namespace {

// A secret file holds one value; anything bigger is a wrong path (a log, a binary).
constexpr std::size_t kMaxSecretFileBytes = std::size_t{64} * 1024;

bool is_env_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

class Resolver {
 public:
  Resolver(Document& doc, const Environment& env, const YAML::Node& scalar, std::string_view path)
      : doc_(doc), env_(env), scalar_(scalar), path_(path) {
    const YAML::Mark mark = scalar.Mark();
    search_from_ = mark.is_null() || mark.pos < 0 ? 0 : static_cast<std::size_t>(mark.pos);
  }

  std::optional<std::string> run() {
    const std::string& in = scalar_.Scalar();
    if (in.find('$') == std::string::npos) return in;  // the common case: nothing to do
    std::string out;
    bool ok = true;
    std::size_t i = 0;
    while (i < in.size()) {
      if (in.compare(i, 3, "$${") == 0) {
        out += "${";
        i += 3;
        continue;
      }
      if (in.compare(i, 2, "${") != 0) {
        out += in[i++];
        continue;
      }
      const std::size_t close = in.find('}', i + 2);
      if (close == std::string::npos) {
        locate("${");
        report(
            fmt::format("{}: '${{' starts a reference that is never closed; "
                        "write ${{env:NAME}} or ${{file:PATH}}, or $${{ "
                        "for a literal '${{'",
                        path_));
        return std::nullopt;
      }
      const std::string_view ref = std::string_view(in).substr(i, close + 1 - i);
      locate(ref);
      std::optional<std::string> value = resolve(ref);
      if (value) {
        out += *value;
      } else {
        ok = false;
      }
      i = close + 1;
    }
    if (!ok) return std::nullopt;
    return out;
  }

 private:
  std::optional<std::string> resolve(std::string_view ref) {
    const std::string_view body = ref.substr(2, ref.size() - 3);
    const std::size_t colon = body.find(':');
    const std::string_view kind = colon == std::string_view::npos ? body : body.substr(0, colon);
    const std::string_view arg =
        colon == std::string_view::npos ? std::string_view() : body.substr(colon + 1);
    if (kind == "env") return resolve_env(ref, arg);
    if (kind == "file") return resolve_file(ref, arg);
    report(
        fmt::format("{}: unknown reference kind '{}' in {}; use ${{env:NAME}} or "
                    "${{file:PATH}}",
                    path_, kind, ref));
    return std::nullopt;
  }

  std::optional<std::string> resolve_env(std::string_view ref, std::string_view name) {
    if (!is_env_name(name)) {
      report(
          fmt::format("{}: {} does not name an environment variable; write "
                      "${{env:NAME}} with letters, digits and '_'",
                      path_, ref));
      return std::nullopt;
    }
    std::optional<std::string> value = env_ ? env_(std::string(name)) : std::nullopt;
    if (!value) {
      report(
          fmt::format("{}: {} is not set; export {} before starting (for the service: "
                      "in its EnvironmentFile)",
                      path_, ref, name));
      return std::nullopt;
    }
    if (value->empty()) {
      report(fmt::format("{}: {} is set but empty; give {} a value", path_, ref, name));
      return std::nullopt;
    }
    return value;
  }

  std::optional<std::string> resolve_file(std::string_view ref, std::string_view arg) {
    if (arg.empty()) {
      report(fmt::format("{}: {} names no file; write ${{file:PATH}}", path_, ref));
      return std::nullopt;
    }
    std::filesystem::path file(arg);
    if (file.is_relative()) file = doc_.file().parent_path() / file;
    // Never more than kMaxSecretFileBytes is read, and a FIFO or device is refused unopened
    // for reading (read_regular_file), so ${file:/dev/zero} or a FIFO cannot stall a reload.
    FileText read = read_regular_file(file, kMaxSecretFileBytes);
    switch (read.failure) {
      case FileText::Failure::none:
        break;
      case FileText::Failure::not_regular:
        report(fmt::format("{}: {}: {} is {}; point it at the file holding the secret", path_, ref,
                           file.string(), read.error));
        return std::nullopt;
      case FileText::Failure::too_large:
        report(fmt::format("{}: {}: {} is larger than {} bytes; a secret file holds one value",
                           path_, ref, file.string(), kMaxSecretFileBytes));
        return std::nullopt;
      case FileText::Failure::cannot_open:
      case FileText::Failure::read_error:
        report(
            fmt::format("{}: {}: cannot read {} ({}); create the file or fix the path "
                        "(a relative path is relative to the folder of this file)",
                        path_, ref, file.string(), read.error));
        return std::nullopt;
    }
    if ((read.mode & 044U) != 0) {
      // A warning, not a problem: the secret works, but others on the host can read it.
      const SourceRef where =
          current_ != std::string::npos ? doc_.at_offset(current_) : doc_.at(scalar_.Mark());
      ops::log_warn("secret_file_readable_by_others",
                    {{"file", file.string()},
                     {"mode", fmt::format("{:04o}", read.mode)},
                     {"where", fmt::format("{}:{}", where.file, where.line)},
                     {"fix", "chmod 600 " + file.string()}});
    }
    const std::string_view value = trim(*read.text);
    if (value.empty()) {
      report(
          fmt::format("{}: {}: {} is empty; write the secret into it", path_, ref, file.string()));
      return std::nullopt;
    }
    return std::string(value);
  }

  // Problems point at the reference itself: its text is found in the source at or after the
  // scalar's start (and after the previous reference). When it cannot be found (escapes in a
  // quoted string), they point at the scalar's start.
  void locate(std::string_view ref) {
    const std::size_t found = doc_.text().find(ref, search_from_);
    current_ = found;
    if (found != std::string::npos) search_from_ = found + ref.size();
  }

  void report(std::string message) {
    if (current_ != std::string::npos) {
      doc_.report(doc_.at_offset(current_), std::move(message));
    } else {
      doc_.report(scalar_.Mark(), std::move(message));
    }
  }

  Document& doc_;
  const Environment& env_;
  const YAML::Node& scalar_;
  std::string_view path_;
  std::size_t search_from_ = 0;
  std::size_t current_ = std::string::npos;
};

}  // namespace

std::optional<std::string> resolve_references(Document& doc, const Environment& env,
                                              const YAML::Node& scalar, std::string_view path) {
  return Resolver(doc, env, scalar, path).run();
}

}  // namespace ttb::config
