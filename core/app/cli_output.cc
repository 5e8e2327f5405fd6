#include "app/cli_output.h"

#include <algorithm>
#include <ostream>

namespace ttb::app::cli {
namespace {

// Display width in code points: good enough for ids, names and English messages.
std::size_t width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string cell(const std::string& text) {
  return text.empty() ? "-" : printable(text);
}

void print_row(std::ostream& out, const std::vector<std::string>& cells,
               const std::vector<std::size_t>& widths) {
  std::string line;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    const std::string text = i < cells.size() ? cell(cells[i]) : "-";
    line += text;
    if (i + 1 < widths.size()) line.append(widths[i] - width(text) + 2, ' ');
  }
  out << line << '\n';
}

}  // namespace

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::add(std::vector<std::string> row) {
  rows_.push_back(std::move(row));
}

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> widths;
  for (const auto& header : headers_) widths.push_back(width(header));
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], width(i < row.size() ? cell(row[i]) : "-"));
    }
  }
  print_row(out, headers_, widths);
  for (const auto& row : rows_) print_row(out, row, widths);
}

void print_fields(std::ostream& out,
                  const std::vector<std::pair<std::string, std::string>>& fields) {
  std::size_t label_width = 0;
  for (const auto& [label, value] : fields) label_width = std::max(label_width, width(label));
  for (const auto& [label, value] : fields) {
    out << label << std::string(label_width - width(label) + 2, ' ') << cell(value) << '\n';
  }
}

void print_json(std::ostream& out, const nlohmann::json& value) {
  out << value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

std::string attempts_cell(const store::JobRecord& job) {
  std::string cell = std::to_string(job.attempts);
  if (job.max_attempts > 0) {
    cell += '/';  // a char, not "/" + std::string: GCC 12's -O3 false -Wrestrict (docs/building.md)
    cell += std::to_string(job.max_attempts);
  }
  return cell;
}

std::string state_cell(const store::JobRecord& job) {
  std::string cell = store::to_string(job.state);
  if (job.state == store::JobState::running && !job.lease_owner.empty()) {
    cell += " on ";
    cell += printable(job.lease_owner);
  }
  return cell;
}

std::string printable(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) c = ' ';
  }
  return out;
}

}  // namespace ttb::app::cli
