#include "config/provider_schema.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace ttb::config {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 6> kTypes = {"string",  "integer", "number",
                                                    "boolean", "object",  "array"};
constexpr std::array<std::string_view, 8> kKeywords = {
    "type", "required", "properties", "enum", "description", "default", "secret", "title"};

bool known_type(const json& type) {
  return type.is_string() &&
         std::find(kTypes.begin(), kTypes.end(), type.get<std::string>()) != kTypes.end();
}

bool has_type(const json& value, const std::string& type) {
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  return false;
}

// `path` is where the (sub)schema sits, for messages: "" for the root, "work_location" below.
void collect_schema_problems(const json& schema, const std::string& path,
                             std::vector<std::string>& out) {
  const std::string at = path.empty() ? "the schema" : "property `" + path + "`";
  if (!schema.is_object()) {
    out.push_back(at + " is not a JSON object");
    return;
  }
  for (const auto& [key, value] : schema.items()) {
    if (std::find(kKeywords.begin(), kKeywords.end(), key) == kKeywords.end()) {
      std::string message = at;
      message += " uses `";
      message += key;
      message +=
          "`, which is not in the subset (type, required, properties, enum, description, "
          "default, secret, title)";
      out.push_back(std::move(message));
    }
  }
  auto type = schema.find("type");
  if (type == schema.end() || !known_type(*type)) {
    out.push_back(at + " needs a `type`: string, integer, number, boolean, object or array");
    return;
  }
  if (auto e = schema.find("enum"); e != schema.end()) {
    if (!e->is_array() || e->empty()) out.push_back(at + ": `enum` must be a non-empty list");
  }
  if (auto s = schema.find("secret"); s != schema.end() && !s->is_boolean()) {
    out.push_back(at + ": `secret` must be true or false");
  }
  if (auto d = schema.find("default"); d != schema.end() && !has_type(*d, *type)) {
    out.push_back(at + ": `default` is not of type " + type->get<std::string>());
  }
  const bool is_object = *type == "object";
  auto props = schema.find("properties");
  if (props != schema.end()) {
    if (!is_object || !props->is_object()) {
      out.push_back(at + ": `properties` must be an object, in an object schema");
      return;
    }
    for (const auto& [name, sub] : props->items()) {
      std::string sub_path = path;
      if (!sub_path.empty()) sub_path += ".";
      sub_path += name;
      collect_schema_problems(sub, sub_path, out);
    }
  }
  if (auto req = schema.find("required"); req != schema.end()) {
    if (!is_object || !req->is_array()) {
      out.push_back(at + ": `required` must be a list of property names, in an object schema");
      return;
    }
    for (const auto& name : *req) {
      if (!name.is_string() || props == schema.end() || !props->contains(name.get<std::string>())) {
        out.push_back(at + ": `required` names " + name.dump() + ", which is not in `properties`");
      }
    }
  }
}

std::string type_phrase(const std::string& type) {
  if (type == "object") return "an object";
  if (type == "array") return "a list";
  if (type == "integer") return "a whole number";
  if (type == "boolean") return "true or false";
  return "a " + type;
}

struct Checker {
  const SourceRef& where;
  std::string prefix;  // "provider checkr: "
  std::string plugin;
  std::vector<Problem>& out;

  void add(std::string message) const { out.push_back({where, prefix + std::move(message)}); }

  void check(const json& schema, const json& value, const std::string& path) const {
    const std::string type = schema.value("type", "");
    const std::string key = "config." + path;
    if (!has_type(value, type)) {
      add("`" + key + "` must be " + type_phrase(type));
      return;
    }
    if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
      if (std::find(e->begin(), e->end(), value) == e->end()) {
        std::string allowed;
        for (const auto& v : *e) allowed += (allowed.empty() ? "" : ", ") + v.dump();
        add("`" + key + "` must be one of " + allowed);
      }
    }
    if (type == "object") check_object(schema, value, path);
  }

  void check_object(const json& schema, const json& value, const std::string& path) const {
    const std::string base = path.empty() ? "" : path + ".";
    const json props = schema.value("properties", json::object());
    for (const auto& name : schema.value("required", json::array())) {
      if (!name.is_string()) continue;
      auto it = value.find(name.get<std::string>());
      if (it == value.end() || it->is_null()) {
        add("`config." + base + name.get<std::string>() + "` is required by plugin " + plugin);
      }
    }
    // A schema without properties describes a free-form object.
    if (!schema.contains("properties")) return;
    for (const auto& [name, item] : value.items()) {
      auto sub = props.find(name);
      if (sub == props.end()) {
        std::string message = "`config." + base;
        message += name;
        message += "` is not a setting of plugin ";
        message += plugin;
        message += " (it knows: ";
        for (const auto& [k, unused] : props.items()) {
          if (message.back() != ' ') message += ", ";
          message += k;
        }
        message += ")";
        add(std::move(message));
        continue;
      }
      if (item.is_null()) continue;  // null means "not set", as in the plugins
      check(*sub, item, base + name);
    }
  }
};

}  // namespace

std::vector<std::string> schema_problems(const json& schema) {
  std::vector<std::string> out;
  collect_schema_problems(schema, "", out);
  if (out.empty() && schema.value("type", "") != "object") {
    out.emplace_back("the schema must describe an object (\"type\": \"object\")");
  }
  return out;
}

std::vector<Problem> check_provider_config(const json& schema, const json& config,
                                           const SourceRef& where, const std::string& provider,
                                           const std::string& plugin) {
  std::vector<Problem> out;
  Checker checker{where, "provider " + provider + ": ", plugin, out};
  if (!config.is_object()) {
    checker.add("`config` must be a mapping");
    return out;
  }
  checker.check_object(schema, config, "");
  return out;
}

}  // namespace ttb::config
