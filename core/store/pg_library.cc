#include "store/pg_library.h"

#include <dlfcn.h>

namespace ttb::store {
namespace {

// The library's soname: the ABI of libpq 5, which every PostgreSQL release since 8.x ships.
constexpr const char* kLibpq = "libpq.so.5";

struct Loaded {
  PgLibrary library;
  std::string error;  // empty when `library` is complete
};

template <typename F>
void resolve(void* handle, const char* name, F& out, std::string& error) {
  out = reinterpret_cast<F>(::dlsym(handle, name));
  if (out == nullptr && error.empty()) error = std::string(kLibpq) + " has no " + name;
}

Loaded open_libpq() {
  Loaded loaded;
  // Never closed: results and connections may live until the process ends.
  void* handle = ::dlopen(kLibpq, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    loaded.error = "the PostgreSQL client library could not be loaded (install libpq5): ";
    loaded.error += why ? why : kLibpq;
    return loaded;
  }
  PgLibrary& l = loaded.library;
  std::string& e = loaded.error;
  resolve(handle, "PQconnectdbParams", l.PQconnectdbParams, e);
  resolve(handle, "PQstatus", l.PQstatus, e);
  resolve(handle, "PQfinish", l.PQfinish, e);
  resolve(handle, "PQreset", l.PQreset, e);
  resolve(handle, "PQerrorMessage", l.PQerrorMessage, e);
  resolve(handle, "PQtransactionStatus", l.PQtransactionStatus, e);
  resolve(handle, "PQsetNoticeProcessor", l.PQsetNoticeProcessor, e);
  resolve(handle, "PQexec", l.PQexec, e);
  resolve(handle, "PQexecParams", l.PQexecParams, e);
  resolve(handle, "PQprepare", l.PQprepare, e);
  resolve(handle, "PQexecPrepared", l.PQexecPrepared, e);
  resolve(handle, "PQenterPipelineMode", l.PQenterPipelineMode, e);
  resolve(handle, "PQexitPipelineMode", l.PQexitPipelineMode, e);
  resolve(handle, "PQpipelineSync", l.PQpipelineSync, e);
  resolve(handle, "PQsendPrepare", l.PQsendPrepare, e);
  resolve(handle, "PQsendQueryParams", l.PQsendQueryParams, e);
  resolve(handle, "PQsendQueryPrepared", l.PQsendQueryPrepared, e);
  resolve(handle, "PQgetResult", l.PQgetResult, e);
  resolve(handle, "PQresultStatus", l.PQresultStatus, e);
  resolve(handle, "PQresultErrorMessage", l.PQresultErrorMessage, e);
  resolve(handle, "PQresultErrorField", l.PQresultErrorField, e);
  resolve(handle, "PQntuples", l.PQntuples, e);
  resolve(handle, "PQcmdTuples", l.PQcmdTuples, e);
  resolve(handle, "PQgetvalue", l.PQgetvalue, e);
  resolve(handle, "PQgetlength", l.PQgetlength, e);
  resolve(handle, "PQgetisnull", l.PQgetisnull, e);
  resolve(handle, "PQclear", l.PQclear, e);
  return loaded;
}

const Loaded& loaded() {
  static const Loaded once = open_libpq();  // C++ guarantees one thread runs this
  return once;
}

}  // namespace

const PgLibrary* load_libpq(std::string& error) {
  const Loaded& l = loaded();
  if (!l.error.empty()) {
    error = l.error;
    return nullptr;
  }
  return &l.library;
}

const PgLibrary& libpq() {
  return loaded().library;
}

}  // namespace ttb::store
