// ttb-plugin-check PATH.so [--config JSON | --config-file FILE]: the conformance kit as a
// standalone tool (the same checks as `ttbridge plugin check`).

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "testkit/plugin_check.h"

int main(int argc, char** argv) {
  std::string so, config;  // empty: the plugin's sample_config (ABI 1.1), else "{}"
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) {
      config = argv[++i];
    } else if (a == "--config-file" && i + 1 < argc) {
      std::ifstream in(argv[++i]);
      if (!in) {
        std::cerr << "cannot read " << argv[i] << "\n";
        return 2;
      }
      std::stringstream ss;
      ss << in.rdbuf();
      config = ss.str();
    } else if (a == "-h" || a == "--help") {
      std::cout << "usage: ttb-plugin-check PATH.so [--config JSON | --config-file FILE]\n";
      return 0;
    } else if (so.empty()) {
      so = a;
    } else {
      std::cerr << "unexpected argument: " << a << "\n";
      return 2;
    }
  }
  if (so.empty()) {
    std::cerr << "usage: ttb-plugin-check PATH.so [--config JSON | --config-file FILE]\n";
    return 2;
  }
  return ttb::testkit::run_plugin_check(so, config, std::cout);
}
