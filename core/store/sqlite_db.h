#pragma once
// A thin RAII layer over the sqlite3 C API: one connection, cached prepared statements and
// `$N` parameters bound by number (the placeholder style PostgreSQL shares). Internal to store/;
// throws SqlError, which the store turns into results at its boundary.

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ttb::store {

class SqlError : public std::runtime_error {
 public:
  SqlError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }
  bool is_constraint() const { return (code_ & 0xff) == SQLITE_CONSTRAINT; }

 private:
  int code_;
};

class SqliteDb;

// A prepared statement borrowed from the connection's cache; reset when it goes out of scope.
class Statement {
 public:
  Statement(SqliteDb& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int n, std::string_view text);
  Statement& bind(int n, std::int64_t value);
  Statement& bind(int n, int value) { return bind(n, static_cast<std::int64_t>(value)); }
  Statement& bind_null(int n);
  Statement& bind(int n, const std::string& text) { return bind(n, std::string_view(text)); }
  Statement& bind(int n, const char* text) { return bind(n, std::string_view(text)); }
  Statement& bind_optional(int n, const std::optional<std::string>& text);  // nullopt: NULL

  bool step();  // true: a row is available
  void run();   // steps to completion
  int changes() const;

  std::string text(int column) const;
  std::int64_t int64(int column) const;
  bool is_null(int column) const;

 private:
  int index_of(int n) const;
  SqliteDb* db_;
  sqlite3_stmt* stmt_;
};

class SqliteDb {
 public:
  // Opens (creating) the file; WAL, synchronous=FULL, foreign keys, busy timeout.
  SqliteDb(const std::string& path, int busy_timeout_ms);
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  void exec(const std::string& sql);          // no parameters, may hold several statements
  Statement prepare(const std::string& sql);  // cached by SQL text
  std::int64_t last_insert_id() const;
  sqlite3* handle() const { return db_; }
  [[noreturn]] void fail(const std::string& where) const;

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace ttb::store
