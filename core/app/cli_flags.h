#pragma once
// The words the subcommands declare their flags with: a Command to add options and flags to, and
// the Option each returns, to tighten. They wrap CLI11, which is header-only and compiles its
// whole parser into every file that includes it: about 5 s of the compiler and 20 s of clang-tidy
// per file. Only cli_flags.cc, cli_command.cc and the two mains include CLI11; the subcommands'
// files include this header.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace ttb::app::cli {

// One option or flag of a command. A handle: copies refer to the same option.
class Option {
 public:
  explicit Option(CLI::Option* option) : option_(option) {}

  Option required();
  Option needs(Option other);     // given only together with `other`
  Option excludes(Option other);  // never given together with `other`
  Option show_default();          // --help prints the default value
  Option in_range(int min, int max);
  Option positive();
  Option one_of(std::vector<std::string> choices);
  // `check` returns "" for a valid value, else what is wrong with it.
  Option check(std::function<std::string(const std::string&)> check);

 private:
  CLI::Option* option_;
};

// A command of the command line: its options (`--name`, or a positional `name`) and flags.
class Command {
 public:
  explicit Command(CLI::App& app) : app_(&app) {}

  Option option(const std::string& name, std::string& into, const std::string& help);
  Option option(const std::string& name, int& into, const std::string& help);
  Option option(const std::string& name, std::int64_t& into, const std::string& help);
  // Given repeatedly, each value is appended.
  Option option(const std::string& name, std::vector<std::string>& into, const std::string& help);
  Option flag(const std::string& name, bool& into, const std::string& help);

  CLI::App& app() const { return *app_; }

 private:
  CLI::App* app_;
};

}  // namespace ttb::app::cli
