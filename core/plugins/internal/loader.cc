// Boost.DLL loading; see loader.h. One mutex-guarded registry of libraries that is
// deliberately never destroyed: unloading a plugin while (or after) its code ran is a classic
// source of crashes at exit (threads, TLS destructors, function pointers outliving the code).

#include "plugins/internal/loader.h"

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <map>
#include <mutex>

#include <boost/dll/shared_library.hpp>

#include "plugins/internal/file_trust.h"

namespace ttb::plugins {
namespace {

struct Registry {
  std::mutex mu;
  std::map<std::filesystem::path, std::shared_ptr<boost::dll::shared_library>> libraries;
  // The last LoadedPlugin made for each library, shared by every later load whose entry returns
  // the same descriptor: 2,000 providers of one plugin then hold one copy of its schema and
  // sample config, not 2,000 (docs/performance.md, "Idle memory").
  std::map<std::filesystem::path, std::shared_ptr<const LoadedPlugin>> plugins;
};

Registry& registry() {
  static auto* r = new Registry;  // leaked on purpose: never unload
  return *r;
}

std::string version_text(std::uint16_t major, std::uint16_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

bool looks_like_elf(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' &&
         magic[3] == 'F';
}

// The library for `file`, loaded on first use. Empty with `error` set when it cannot load.
std::shared_ptr<boost::dll::shared_library> open_library(const std::filesystem::path& file,
                                                         std::string& error) {
  auto& reg = registry();
  std::lock_guard lock(reg.mu);
  if (auto it = reg.libraries.find(file); it != reg.libraries.end()) return it->second;
  if (!looks_like_elf(file)) {
    error = "plugin " + file.string() +
            " is not a shared library (no ELF header); build it with "
            "ttbridge_add_plugin() or as a MODULE/SHARED library";
    return nullptr;
  }
  boost::system::error_code ec;
  auto lib = std::make_shared<boost::dll::shared_library>();
  lib->load(boost::dll::fs::path(file.string()),
            boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec || !lib->is_loaded()) {
    error = "plugin " + file.string() + " could not be loaded as a shared library: " +
            (ec ? ec.message() : std::string("unknown error")) +
            " (missing dependency or undefined symbol? try `ldd -r` on it)";
    return nullptr;
  }
  reg.libraries.emplace(file, lib);
  return lib;
}

// The 1.1 members, read only when the negotiated minor has them and the plugin's struct is long
// enough: a 1.0 descriptor ends at get_interface, and what lies beyond it is not ours to read.
void read_v11_members(const ttb_plugin_descriptor& d, LoadedPlugin& plugin) {
  constexpr std::size_t kDescriptorV11Size =
      offsetof(ttb_plugin_descriptor, actions) + sizeof(d.actions);
  if (plugin.abi_minor < 1 || d.struct_size < kDescriptorV11Size) return;
  if (d.config_schema != nullptr) plugin.config_schema = d.config_schema;
  if (d.sample_config != nullptr) plugin.sample_config = d.sample_config;
  constexpr std::size_t kMaxActions = 64;  // a bound against a list that lacks its NULL
  for (std::size_t i = 0; d.actions != nullptr && i < kMaxActions && d.actions[i] != nullptr; ++i)
    if (d.actions[i][0] != '\0') plugin.actions.emplace_back(d.actions[i]);
}

// The LoadedPlugin already made from this descriptor at this ABI minor, if any. The descriptor
// is static in a library that is never unloaded, so the same pointer means the same contents.
std::shared_ptr<const LoadedPlugin> shared_plugin(const std::filesystem::path& file,
                                                  const ttb_plugin_descriptor* d,
                                                  std::uint16_t abi_minor) {
  auto& reg = registry();
  std::lock_guard lock(reg.mu);
  auto it = reg.plugins.find(file);
  if (it == reg.plugins.end()) return nullptr;
  const LoadedPlugin& known = *it->second;
  if (known.descriptor != d || known.abi_minor != abi_minor) return nullptr;
  return it->second;
}

void remember_plugin(const std::shared_ptr<const LoadedPlugin>& plugin) {
  auto& reg = registry();
  std::lock_guard lock(reg.mu);
  reg.plugins[plugin->path] = plugin;
}

}  // namespace

LoadResult load_plugin(const std::filesystem::path& file, std::uint16_t host_major,
                       std::uint16_t host_minor) {
  LoadResult result;
  try {
    std::error_code fec;
    if (!std::filesystem::is_regular_file(file, fec)) {
      result.error = "plugin file not found: " + file.string();
      return result;
    }
    std::filesystem::path canonical = std::filesystem::weakly_canonical(file, fec);
    if (fec) canonical = file;
    // Before any of its code runs (a library's constructors run at load).
    if (auto problem = untrusted_plugin_file(canonical); !problem.empty()) {
      result.error = std::move(problem);
      return result;
    }

    auto lib = open_library(canonical, result.error);
    if (!lib) return result;
    if (!lib->has(TTB_PLUGIN_ENTRY_SYMBOL)) {
      result.error = "plugin " + canonical.string() +
                     " does not export " TTB_PLUGIN_ENTRY_SYMBOL
                     " (define it with TTB_PLUGIN(...) from ttbridge/plugin.hpp, or mark it "
                     "TTB_PLUGIN_EXPORT in C)";
      return result;
    }
    auto entry = lib->get<const ttb_plugin_descriptor*(std::uint16_t, std::uint16_t)>(
        TTB_PLUGIN_ENTRY_SYMBOL);

    const ttb_plugin_descriptor* d = entry(host_major, host_minor);
    if (d == nullptr) {
      // Ask for identification only, so the message can name the plugin's version.
      const ttb_plugin_descriptor* probe = entry(TTB_ABI_PROBE_MAJOR, 0);
      if (probe != nullptr && probe->abi_major != host_major) {
        result.error = "plugin " + canonical.string() + " (" + (probe->id ? probe->id : "?") + " " +
                       (probe->version ? probe->version : "?") + ") was built for plugin ABI " +
                       version_text(probe->abi_major, probe->abi_minor) +
                       " but this host speaks ABI " + version_text(host_major, host_minor) +
                       "; rebuild the plugin against an SDK whose plugin.h has TTB_ABI_MAJOR " +
                       std::to_string(host_major);
      } else {
        result.error = "plugin " + canonical.string() + " refused host ABI " +
                       version_text(host_major, host_minor) +
                       " (its ttb_plugin_entry returned NULL)";
      }
      return result;
    }
    if (d->abi_major != host_major) {
      result.error = "plugin " + canonical.string() + " was built for plugin ABI " +
                     version_text(d->abi_major, d->abi_minor) + " but this host speaks ABI " +
                     version_text(host_major, host_minor) +
                     " (its entry accepted a major it does not implement)";
      return result;
    }
    // A 1.0 descriptor ends at get_interface; later minors may append members.
    constexpr std::size_t kDescriptorV10Size =
        offsetof(ttb_plugin_descriptor, get_interface) + sizeof(d->get_interface);
    if (d->struct_size < kDescriptorV10Size || d->id == nullptr || d->id[0] == '\0' ||
        d->create == nullptr || d->destroy == nullptr || d->get_interface == nullptr) {
      result.error = "plugin " + canonical.string() +
                     " returned an incomplete descriptor (struct_size, id, create, destroy and "
                     "get_interface are required)";
      return result;
    }
    const std::uint16_t abi_minor = std::min(host_minor, d->abi_minor);
    if (auto same = shared_plugin(canonical, d, abi_minor)) {
      result.plugin = std::move(same);
      return result;
    }
    auto plugin = std::make_shared<LoadedPlugin>();
    plugin->path = canonical;
    plugin->descriptor = d;
    plugin->abi_minor = abi_minor;
    plugin->id = d->id;
    plugin->name = d->name ? d->name : d->id;
    plugin->version = d->version ? d->version : "";
    read_v11_members(*d, *plugin);
    remember_plugin(plugin);
    result.plugin = std::move(plugin);
  } catch (const std::exception& e) {
    result.error = "plugin " + file.string() + " could not be loaded: " + e.what();
  }
  return result;
}

}  // namespace ttb::plugins
