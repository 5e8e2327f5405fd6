#pragma once
// The store's SQLite file holds candidates' personal data and each order's callback secret: it is
// created readable and writable by its owner only (0600), whatever the umask.

#include <optional>
#include <string>

namespace ttb::store {

// Creates `db_path` with mode 0600 if it does not exist; takes group and other permissions away
// from it and from its -wal and -shm files if they exist (SQLite gives the -wal and -shm files it
// creates the mode of the database file). Returns what failed, or nullopt.
std::optional<std::string> make_owner_only(const std::string& db_path);

}  // namespace ttb::store
