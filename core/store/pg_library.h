#pragma once
// libpq, opened with dlopen the first time a PostgreSQL store connects rather than linked: a
// daemon on SQLite then never maps libpq and the libraries it pulls in (Kerberos, LDAP, GnuTLS,
// SASL, p11-kit and more), some 3.4 MB of its idle RSS (docs/performance.md, "Idle memory").
// Internal to store/: only pg_connection.cc calls libpq.

#include <libpq-fe.h>

#include <string>

namespace ttb::store {

// The libpq functions the store calls, named as libpq names them.
struct PgLibrary {
  decltype(&::PQconnectdbParams) PQconnectdbParams = nullptr;
  decltype(&::PQstatus) PQstatus = nullptr;
  decltype(&::PQfinish) PQfinish = nullptr;
  decltype(&::PQreset) PQreset = nullptr;
  decltype(&::PQerrorMessage) PQerrorMessage = nullptr;
  decltype(&::PQtransactionStatus) PQtransactionStatus = nullptr;
  decltype(&::PQsetNoticeProcessor) PQsetNoticeProcessor = nullptr;
  decltype(&::PQexec) PQexec = nullptr;
  decltype(&::PQexecParams) PQexecParams = nullptr;
  decltype(&::PQprepare) PQprepare = nullptr;
  decltype(&::PQexecPrepared) PQexecPrepared = nullptr;
  // Pipeline mode (libpq 14 and later): PgConnection::exec_pipeline.
  decltype(&::PQenterPipelineMode) PQenterPipelineMode = nullptr;
  decltype(&::PQexitPipelineMode) PQexitPipelineMode = nullptr;
  decltype(&::PQpipelineSync) PQpipelineSync = nullptr;
  decltype(&::PQsendPrepare) PQsendPrepare = nullptr;
  decltype(&::PQsendQueryParams) PQsendQueryParams = nullptr;
  decltype(&::PQsendQueryPrepared) PQsendQueryPrepared = nullptr;
  decltype(&::PQgetResult) PQgetResult = nullptr;
  decltype(&::PQresultStatus) PQresultStatus = nullptr;
  decltype(&::PQresultErrorMessage) PQresultErrorMessage = nullptr;
  decltype(&::PQresultErrorField) PQresultErrorField = nullptr;
  decltype(&::PQntuples) PQntuples = nullptr;
  decltype(&::PQcmdTuples) PQcmdTuples = nullptr;
  decltype(&::PQgetvalue) PQgetvalue = nullptr;
  decltype(&::PQgetlength) PQgetlength = nullptr;
  decltype(&::PQgetisnull) PQgetisnull = nullptr;
  decltype(&::PQclear) PQclear = nullptr;
};

// libpq.so.5, loaded on the first call (thread-safe; the library stays loaded). Null with
// `error` saying what is missing when it cannot be loaded.
const PgLibrary* load_libpq(std::string& error);

// The loaded library; only after load_libpq succeeded (every PgConnection's constructor did).
const PgLibrary& libpq();

}  // namespace ttb::store
