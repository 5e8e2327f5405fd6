#include "app/cli_flags.h"

#include <utility>

#include <CLI/CLI.hpp>

namespace ttb::app::cli {

Option Option::required() {
  option_->required();
  return *this;
}

Option Option::needs(Option other) {
  option_->needs(other.option_);
  return *this;
}

Option Option::excludes(Option other) {
  option_->excludes(other.option_);
  return *this;
}

Option Option::show_default() {
  option_->capture_default_str();
  return *this;
}

Option Option::in_range(int min, int max) {
  option_->check(CLI::Range(min, max));
  return *this;
}

Option Option::positive() {
  option_->check(CLI::PositiveNumber);
  return *this;
}

Option Option::one_of(std::vector<std::string> choices) {
  option_->check(CLI::IsMember(std::move(choices)));
  return *this;
}

Option Option::check(std::function<std::string(const std::string&)> check) {
  option_->check(std::move(check));
  return *this;
}

Option Command::option(const std::string& name, std::string& into, const std::string& help) {
  return Option(app_->add_option(name, into, help));
}

Option Command::option(const std::string& name, int& into, const std::string& help) {
  return Option(app_->add_option(name, into, help));
}

Option Command::option(const std::string& name, std::int64_t& into, const std::string& help) {
  return Option(app_->add_option(name, into, help));
}

Option Command::option(const std::string& name, std::vector<std::string>& into,
                       const std::string& help) {
  return Option(app_->add_option(name, into, help));
}

Option Command::flag(const std::string& name, bool& into, const std::string& help) {
  return Option(app_->add_flag(name, into, help));
}

}  // namespace ttb::app::cli
