#include "store/pg_connection.h"

#include <array>
#include <charconv>
#include <cstring>

namespace ttb::store {

PgParams& PgParams::add(std::string_view text) {
  values_.emplace_back(std::string(text));
  return *this;
}

PgParams& PgParams::add(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

PgParams& PgParams::add(const std::optional<std::string>& text) {
  values_.push_back(text);
  return *this;
}

PgParams& PgParams::add(const std::optional<std::int64_t>& value) {
  if (!value) {
    values_.emplace_back(std::nullopt);
    return *this;
  }
  return add(*value);
}

PgParams& PgParams::add_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  values_.emplace_back(std::move(out));
  return *this;
}

PgParams& PgParams::append(const PgParams& more) {
  values_.insert(values_.end(), more.values_.begin(), more.values_.end());
  return *this;
}

std::vector<const char*> PgParams::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? v->c_str() : nullptr);
  return out;
}

int PgResult::affected() const {
  const char* n = libpq().PQcmdTuples(result_.get());
  int value = 0;
  if (n) std::from_chars(n, n + std::strlen(n), value);
  return value;
}

std::string PgResult::text(int row, int column) const {
  return std::string(libpq().PQgetvalue(result_.get(), row, column),
                     static_cast<size_t>(libpq().PQgetlength(result_.get(), row, column)));
}

std::int64_t PgResult::int64(int row, int column) const {
  const char* p = libpq().PQgetvalue(result_.get(), row, column);
  const char* end = p + libpq().PQgetlength(result_.get(), row, column);
  std::int64_t value = 0;
  std::from_chars(p, end, value);
  return value;
}

bool PgResult::is_null(int row, int column) const {
  return libpq().PQgetisnull(result_.get(), row, column) != 0;
}

PgConnection::PgConnection(const std::string& url) {
  std::string missing;
  if (load_libpq(missing) == nullptr) throw PgError(missing, "", false);
  // A server that does not answer (a dropped route, a firewall) would hold a connect for the
  // kernel's SYN retries, about two minutes, and every write and /readyz with it: give up after
  // kConnectTimeoutS unless the URL says otherwise (the expanded URL comes later and wins).
  const std::string timeout = std::to_string(kConnectTimeoutS);
  const std::array<const char*, 3> keywords{"connect_timeout", "dbname", nullptr};
  const std::array<const char*, 3> values{timeout.c_str(), url.c_str(), nullptr};
  conn_ = libpq().PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
  if (!conn_ || libpq().PQstatus(conn_) != CONNECTION_OK) {
    // libpq's message names the host and port, never the password.
    const std::string message = error_message();
    libpq().PQfinish(conn_);
    conn_ = nullptr;
    throw PgError("cannot connect to PostgreSQL: " + message, "", true);
  }
  // libpq prints the server's notices ("relation already exists, skipping") on stderr; they say
  // nothing a caller acts on. The processor belongs to the connection and outlives PQreset.
  libpq().PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() {
  libpq().PQfinish(conn_);
}

bool PgConnection::ensure_connected() {
  if (libpq().PQstatus(conn_) == CONNECTION_OK) return true;
  prepared_.clear();  // they lived in the server session that is gone
  libpq().PQreset(conn_);
  return libpq().PQstatus(conn_) == CONNECTION_OK;
}

std::string PgConnection::error_message() const {
  std::string message = conn_ ? libpq().PQerrorMessage(conn_) : "out of memory";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return message;
}

bool PgConnection::in_transaction() const {
  return libpq().PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

PgResult PgConnection::exec(const std::string& sql) {
  PGresult* result = libpq().PQexec(conn_, sql.c_str());
  const ExecStatusType status = libpq().PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(result, sql);
  return PgResult(result);
}

std::string PgConnection::prepared_name(const std::string& sql, int parameters) {
  if (auto it = prepared_.find(sql); it != prepared_.end()) return it->second;
  if (prepared_.size() >= kMaxPreparedStatements) return "";
  std::string name = "ttb_" + std::to_string(prepared_.size() + 1);
  // Parameter types are left to the server, as PQexecParams does.
  PGresult* result = libpq().PQprepare(conn_, name.c_str(), sql.c_str(), parameters, nullptr);
  if (libpq().PQresultStatus(result) != PGRES_COMMAND_OK) fail(result, sql);
  libpq().PQclear(result);
  prepared_.emplace(sql, name);
  return name;
}

PgResult PgConnection::exec(const std::string& sql, const PgParams& params) {
  const std::vector<const char*> values = params.pointers();
  const std::string name = prepare_ ? prepared_name(sql, params.size()) : std::string();
  PGresult* result = name.empty() ? libpq().PQexecParams(conn_, sql.c_str(), params.size(), nullptr,
                                                         values.data(), nullptr, nullptr, 0)
                                  : libpq().PQexecPrepared(conn_, name.c_str(), params.size(),
                                                           values.data(), nullptr, nullptr, 0);
  const ExecStatusType status = libpq().PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(result, sql);
  return PgResult(result);
}

std::vector<PgResult> PgConnection::exec_pipeline(
    const std::vector<const PgStatement*>& statements) {
  const PgLibrary& pq = libpq();
  if (pq.PQenterPipelineMode(conn_) != 1) fail(nullptr, "(pipeline)");
  // What went out, in order: each statement, after its PQsendPrepare when it was new here. A
  // batch's writes often share one text: it is prepared once, by its first occurrence.
  struct Sent {
    const PgStatement* statement;
    std::string prepare;  // the name this message prepares; "" for the statement itself
  };
  std::vector<Sent> sent;
  std::unordered_map<std::string, std::string> preparing;  // text -> name, not yet confirmed
  bool sent_all = true;
  for (const PgStatement* statement : statements) {
    const std::string& sql = statement->sql;
    const std::vector<const char*> values = statement->params.pointers();
    const int count = statement->params.size();
    std::string name;
    if (prepare_) {
      if (auto it = prepared_.find(sql); it != prepared_.end()) {
        name = it->second;
      } else if (auto pending = preparing.find(sql); pending != preparing.end()) {
        name = pending->second;
      } else if (prepared_.size() + preparing.size() < kMaxPreparedStatements) {
        name = "ttb_" + std::to_string(prepared_.size() + preparing.size() + 1);
        if (pq.PQsendPrepare(conn_, name.c_str(), sql.c_str(), count, nullptr) != 1) {
          sent_all = false;
          break;
        }
        preparing.emplace(sql, name);
        sent.push_back({statement, name});
      }
    }
    const int queued = name.empty() ? pq.PQsendQueryParams(conn_, sql.c_str(), count, nullptr,
                                                           values.data(), nullptr, nullptr, 0)
                                    : pq.PQsendQueryPrepared(conn_, name.c_str(), count,
                                                             values.data(), nullptr, nullptr, 0);
    if (queued != 1) {
      sent_all = false;
      break;
    }
    sent.push_back({statement, ""});
  }
  // The sync ends the pipeline and sends it all (libpq flushes here).
  const bool synced = pq.PQpipelineSync(conn_) == 1;

  std::vector<PgResult> results;
  results.reserve(statements.size());
  PGresult* failure = nullptr;  // the first statement that failed, kept to throw
  std::string failed_sql = "(pipeline)";
  bool lost = !sent_all || !synced;
  for (const Sent& item : sent) {
    if (lost) break;
    PGresult* result = pq.PQgetResult(conn_);
    if (result == nullptr) {  // no answer where one was due: the connection broke
      lost = true;
      break;
    }
    const ExecStatusType status = pq.PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      if (item.prepare.empty()) {
        results.emplace_back(result);
      } else {
        prepared_.emplace(item.statement->sql, item.prepare);
        pq.PQclear(result);
      }
    } else if (status == PGRES_PIPELINE_ABORTED || failure != nullptr) {
      pq.PQclear(result);  // skipped after the failure
    } else {
      failure = result;
      failed_sql = item.statement->sql;
    }
    // Each statement's results end with a null.
    while (PGresult* extra = pq.PQgetResult(conn_)) pq.PQclear(extra);
  }
  if (!lost) {
    PGresult* sync = pq.PQgetResult(conn_);
    lost = sync == nullptr || pq.PQresultStatus(sync) != PGRES_PIPELINE_SYNC;
    pq.PQclear(sync);
  }
  if (lost || pq.PQexitPipelineMode(conn_) != 1) {
    // The pipeline's state is unknown: a new connection (which rolls back whatever the server
    // ran of it) rather than a connection left half in pipeline mode.
    std::string message = "PostgreSQL: the connection broke during a pipeline: " + error_message();
    pq.PQclear(failure);
    prepared_.clear();
    pq.PQreset(conn_);
    throw PgError(message, "", true);
  }
  if (failure != nullptr) fail(failure, failed_sql);
  return results;
}

void PgConnection::fail(PGresult* result, const std::string& sql) const {
  std::string sqlstate;
  if (const char* s = result ? libpq().PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr) {
    sqlstate = s;
  }
  std::string message = result ? libpq().PQresultErrorMessage(result) : "";
  if (message.empty()) message = libpq().PQerrorMessage(conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  libpq().PQclear(result);
  const bool lost = libpq().PQstatus(conn_) != CONNECTION_OK;
  // The statement's first words say which one failed without repeating its parameters.
  std::string where = sql.substr(0, 60);
  for (char& c : where) {
    if (c == '\n') c = ' ';
  }
  throw PgError("PostgreSQL: " + message + " (in: " + where + "…)", sqlstate, lost);
}

}  // namespace ttb::store
