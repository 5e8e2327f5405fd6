#include <string>

#include "store/migrations.h"
#include "store/pg_store.h"
#include "store/sqlite_store.h"
#include "store/store.h"

namespace ttb::store {
namespace {

bool is_postgresql(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

}  // namespace

Result<std::unique_ptr<Store>> open_store(const std::string& url, StoreOptions options) {
  const std::string sqlite_prefix = "sqlite://";
  if (url.rfind(sqlite_prefix, 0) == 0) {
    const std::string path = url.substr(sqlite_prefix.size());
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
  // Opening applied every migration this build knows, in both dialects the same numbers.
  return migrations(is_postgresql(url) ? Dialect::postgresql : Dialect::sqlite).back().version;
}

}  // namespace ttb::store
