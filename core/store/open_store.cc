#include <string>

#include "store/sqlite_store.h"
#include "store/store.h"

namespace ttb::store {

OpenResult open_store(const std::string& url, StoreOptions options) {
  OpenResult result;
  const std::string sqlite_prefix = "sqlite://";
  if (url.rfind(sqlite_prefix, 0) == 0) {
    const std::string path = url.substr(sqlite_prefix.size());
    if (path.empty()) {
      result.error = "store url '" + url + "' names no file; expected sqlite://PATH";
      return result;
    }
    std::string error;
    result.store = SqliteStore::open(path, std::move(options), error);
    if (!result.store) result.error = error;
    return result;
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    result.error = "store url '" + url.substr(0, url.find(':')) +
                   "://…': the PostgreSQL store is not built yet; use sqlite://PATH";
    return result;
  }
  result.error = "store url must start with sqlite:// or postgresql:// (got '" +
                 url.substr(0, url.find("://")) + "')";
  return result;
}

}  // namespace ttb::store
