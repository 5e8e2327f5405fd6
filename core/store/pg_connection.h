#pragma once
// A thin RAII layer over libpq: one connection, statements with typed `$N` parameters sent as
// text, and results read by row and column. Internal to store/; throws PgError, which the
// PostgreSQL store turns into results at its boundary (pg_store.cc).

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/pg_library.h"

namespace ttb::store {

class PgError : public std::runtime_error {
 public:
  // `sqlstate` is PostgreSQL's five-character error code ("" when the server sent none, e.g.
  // the connection was lost).
  PgError(const std::string& what, std::string sqlstate, bool connection_lost)
      : std::runtime_error(what),
        sqlstate_(std::move(sqlstate)),
        connection_lost_(connection_lost) {}
  const std::string& sqlstate() const { return sqlstate_; }
  bool connection_lost() const { return connection_lost_; }
  // Class 23: a row broke a constraint (unique, foreign key, not null).
  bool is_constraint() const { return sqlstate_.rfind("23", 0) == 0; }
  bool is_unique_violation() const { return sqlstate_ == "23505"; }
  // 40001 serialization_failure, 40P01 deadlock_detected: the transaction may simply be retried.
  bool is_retryable() const { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }

 private:
  std::string sqlstate_;
  bool connection_lost_;
};

// The parameters of one statement, in `$N` order. Values are sent as text; NULL as a null pointer.
class PgParams {
 public:
  PgParams& add(std::string_view text);
  PgParams& add(const std::string& text) { return add(std::string_view(text)); }
  PgParams& add(const char* text) { return add(std::string_view(text)); }
  PgParams& add(std::int64_t value);
  PgParams& add(int value) { return add(static_cast<std::int64_t>(value)); }
  PgParams& add(bool value) { return add(std::int64_t{value ? 1 : 0}); }
  PgParams& add(const std::optional<std::string>& text);    // nullopt: NULL
  PgParams& add(const std::optional<std::int64_t>& value);  // nullopt: NULL
  // A text[] literal ({"a","b"}), so a list binds as one parameter ($N::text[]).
  PgParams& add_array(const std::vector<std::string>& items);
  // Every parameter of `more`, after these ($N numbering on from size()).
  PgParams& append(const PgParams& more);

  int size() const { return static_cast<int>(values_.size()); }
  // Pointers into this object, valid while it lives and is not changed.
  std::vector<const char*> pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// One statement with its parameters, kept to be sent later (PgConnection::exec_pipeline).
struct PgStatement {
  std::string sql;
  PgParams params;
  // Set for a statement about one row that a batch may send merged with its neighbours of the
  // same kind (PgStore::begin): the text of the same statement about `rows` rows, whose
  // parameters are each row's in turn, answering one result row per row in that order. A row
  // whose parameters are all NULL is padding: it does nothing and has no result row. `sql` is
  // its text for one row. The kind is this function: only statements with the same one merge.
  std::string (*for_rows)(int rows) = nullptr;
};

// The rows of one statement. Columns come as text; int64 parses them.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, libpq().PQclear) {}

  int rows() const { return libpq().PQntuples(result_.get()); }
  bool empty() const { return rows() == 0; }
  // Rows an INSERT, UPDATE or DELETE touched.
  int affected() const;
  std::string text(int row, int column) const;
  std::int64_t int64(int row, int column) const;
  bool is_null(int row, int column) const;

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

// Seconds a connect waits for the server unless the URL sets `connect_timeout` itself.
inline constexpr int kConnectTimeoutS = 5;

// Statements a connection keeps prepared at most (see PgConnection::prepare_statements). The
// store's statements are a fixed set of texts, far fewer; the cap only bounds a surprise.
inline constexpr std::size_t kMaxPreparedStatements = 256;

class PgConnection {
 public:
  // Connects to `url` (a libpq connection URI); throws PgError with the server's message, the
  // URL's password left out.
  explicit PgConnection(const std::string& url);
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection();

  // From now on, exec with parameters prepares each statement text once (a named server-side
  // statement) and then only binds and runs it: the server parses and plans the store's few
  // statements once per connection instead of once per call, which is most of its CPU for the
  // small INSERTs of a write. Not for a connection through a pooler that hands out server
  // connections per transaction (named statements live on one server connection).
  void prepare_statements() { prepare_ = true; }

  // Runs one statement (no parameters: it may hold several, as a migration does).
  PgResult exec(const std::string& sql);
  PgResult exec(const std::string& sql, const PgParams& params);
  // Runs `statements` in libpq's pipeline mode: sent together and answered together, one round
  // trip for all instead of one each. The server runs them in order, in the transaction a
  // `BEGIN` among them opened (else the server wraps them in one of their own). Their results,
  // in order; when one fails the server skips the rest, and this throws that failure as exec
  // does, with the connection out of pipeline mode again. The connection stays in blocking mode,
  // which is safe while what the statements send back fits in the socket's buffers (a few KB for
  // the store's pipelines of at most kPgMaxBatch + 1 short statements).
  std::vector<PgResult> exec_pipeline(const std::vector<const PgStatement*>& statements);
  // After a lost connection: one attempt to connect again (libpq's PQreset, which forgets the
  // prepared statements). True when it is up; else error_message() says why.
  bool ensure_connected();
  // libpq's last message on this connection, without its final newline (never the password).
  std::string error_message() const;
  bool in_transaction() const;

 private:
  [[noreturn]] void fail(PGresult* result, const std::string& sql) const;
  // The name of `sql` prepared on this connection ("" past kMaxPreparedStatements: run unnamed).
  std::string prepared_name(const std::string& sql, int parameters);

  PGconn* conn_ = nullptr;
  bool prepare_ = false;
  std::unordered_map<std::string, std::string> prepared_;  // statement text -> its name
};

}  // namespace ttb::store
