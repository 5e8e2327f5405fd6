#include "app/config_table.h"

#include <algorithm>

namespace ttb::app {
namespace {

using json = nlohmann::ordered_json;

// A table cell: one line, with the pipe escaped.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// Appends rather than `"lit" + std::string`: GCC 12 at -O3 reports a false -Wrestrict on the
// latter (docs/toolchain-gcc12-o3.md).
std::string code(const json& value) {
  std::string out = "`";
  out += value.is_string() ? value.get<std::string>() : value.dump();
  out += '`';
  return out;
}

void rows(const json& schema, const std::string& prefix, std::string& out) {
  const json props = schema.value("properties", json::object());
  const json required = schema.value("required", json::array());
  for (const auto& [name, sub] : props.items()) {
    if (!sub.is_object()) continue;
    std::string type = sub.value("type", "");
    if (sub.value("secret", false)) type += ", secret";
    std::string meaning = sub.value("description", "");
    if (auto e = sub.find("enum"); e != sub.end() && e->is_array()) {
      std::string values;
      for (const auto& v : *e) {
        if (!values.empty()) values += ", ";
        values += code(v);
      }
      if (!meaning.empty()) meaning += ' ';
      meaning += "One of ";
      meaning += values;
      meaning += '.';
    }
    const bool is_required =
        std::find(required.begin(), required.end(), json(name)) != required.end();
    const std::string def = sub.contains("default") ? code(sub["default"]) : "—";
    out += "| `";
    out += prefix;
    out += name;
    out += "` | ";
    out += type;
    out += is_required ? " | yes | " : " | no | ";
    out += cell(def);
    out += " | ";
    out += cell(meaning);
    out += " |\n";
    if (sub.contains("properties")) rows(sub, prefix + name + ".", out);
  }
}

}  // namespace

std::string config_table(const json& schema) {
  std::string out = "| key | type | required | default | meaning |\n|---|---|---|---|---|\n";
  rows(schema, "", out);
  return out;
}

std::optional<std::string> with_config_table(const std::string& doc, const std::string& table) {
  const std::string begin = kConfigTableBegin;
  const std::string end = kConfigTableEnd;
  const auto b = doc.find(begin);
  if (b == std::string::npos) return std::nullopt;
  const auto body = b + begin.size();
  const auto e = doc.find(end, body);
  if (e == std::string::npos) return std::nullopt;
  return doc.substr(0, body) + "\n" + table + doc.substr(e);
}

}  // namespace ttb::app
