#include <string>

#include "store/sqlite_store.h"
#include "store/store.h"

namespace ttb::store {

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
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return Error{Error::Code::invalid,
                 "store url '" + url.substr(0, url.find(':')) +
                     "://…': the PostgreSQL store is not built yet; use sqlite://PATH"};
  }
  return Error{Error::Code::invalid, "store url must start with sqlite:// or postgresql:// (got '" +
                                         url.substr(0, url.find("://")) + "')"};
}

}  // namespace ttb::store
