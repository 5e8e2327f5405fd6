#pragma once
// How ttbridge prints: aligned tables for people, JSON (--json) for scripts, UTC timestamps, and
// text cleaned of terminal control characters and candidate e-mail addresses.

#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "admin/record_json.h"
#include "store/records.h"

namespace ttb::app::cli {

// Columns padded to their widest cell; an empty cell shows "-". Cells are printed clean (see
// printable), so vendor text in an error cannot move the cursor or recolour the terminal.
class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  void add(std::vector<std::string> row);
  bool empty() const { return rows_.empty(); }
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// Two columns, "label  value", for one record (orders show).
void print_fields(std::ostream& out,
                  const std::vector<std::pair<std::string, std::string>>& fields);

// Pretty JSON with a final newline; invalid UTF-8 is replaced rather than thrown on.
void print_json(std::ostream& out, const nlohmann::json& value);

// "2024-05-01T12:00:00Z" (table) or "2024-05-01T12:00:00.123Z" (JSON); "" for the epoch.
using admin::format_time;

// Control characters become spaces: cells and details come from vendors and Teamtailor.
std::string printable(const std::string& text);

// A job's ATTEMPTS cell: "2/5", or "2" when the job has no limit.
std::string attempts_cell(const store::JobRecord& job);

// A job's STATE cell: "queued", or "running on HOST:PID" while a daemon's lease holds it
// (PostgreSQL).
std::string state_cell(const store::JobRecord& job);

// Every e-mail address replaced by "<email>": the CLI shows ids, never a candidate's contact
// details, even where an engine message or a vendor error quoted one.
using admin::without_personal_data;

}  // namespace ttb::app::cli
