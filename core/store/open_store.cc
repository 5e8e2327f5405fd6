#include <string>
#include <string_view>

#include "store/copy_endpoints.h"
#include "store/pg_connection.h"
#include "store/pg_store.h"
#include "store/sqlite_db.h"
#include "store/sqlite_store.h"
#include "store/store.h"

namespace ttb::store {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite://";

bool is_postgresql(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

}  // namespace

Result<std::unique_ptr<Store>> open_store(const std::string& url, StoreOptions options) {
  if (url.rfind(kSqlitePrefix, 0) == 0) {
    const std::string path = url.substr(kSqlitePrefix.size());
    if (path.empty()) {
      return Error{Error::Code::invalid,
                   "store url '" + url + "' names no file; expected sqlite://PATH"};
    }
    std::string error;
    std::unique_ptr<Store> store = SqliteStore::open(path, std::move(options), error);
    if (!store) return Error{Error::Code::unavailable, error};
    return store;
  }
  if (is_postgresql(url)) {
    // libpq's messages never repeat the password; the url itself is not repeated here.
    std::string error;
    std::unique_ptr<Store> store = PgStore::open(url, std::move(options), error);
    if (!store) {
      return Error{Error::Code::unavailable,
                   error + " (check store.url, that the server runs and accepts this user)"};
    }
    return store;
  }
  return Error{Error::Code::invalid, "store url must start with sqlite:// or postgresql:// (got '" +
                                         url.substr(0, url.find("://")) + "')"};
}

Result<int> migrate_store(const std::string& url) {
  StoreOptions options;
  options.recover_interrupted_jobs = false;  // a daemon may be running on this store
  auto opened = open_store(url, std::move(options));
  if (!opened) return opened.error();
  (*opened)->close();
  // Opening applied every migration this build knows. The database's own version says more: a
  // newer ttbridge may have migrated it further, during a rolling upgrade.
  try {
    const auto source = is_postgresql(url) ? open_pg_source(url)
                                           : open_sqlite_source(url.substr(kSqlitePrefix.size()));
    return source->schema_version();
  } catch (const SqlError& e) {
    return Error{Error::Code::unavailable, std::string("reading its schema version: ") + e.what()};
  } catch (const PgError& e) {
    return Error{Error::Code::unavailable, std::string("reading its schema version: ") + e.what()};
  }
}

}  // namespace ttb::store
