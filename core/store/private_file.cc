#include "store/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ttb::store {
namespace {

constexpr mode_t kOwnerOnly = S_IRUSR | S_IWUSR;

// A file that exists loses group and other permissions. A file owned by another user (an
// operator's choice) cannot be changed by us and is left as it is.
std::optional<std::string> tighten(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;  // absent: nothing to tighten
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) == 0) return std::nullopt;
  if (::chmod(path.c_str(), st.st_mode & kOwnerOnly) != 0 && errno != EPERM) {
    std::string error = "cannot make '" + path + "' readable by its owner only: ";
    error += std::strerror(errno);
    return error;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> make_owner_only(const std::string& db_path) {
  const int fd = ::open(db_path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, kOwnerOnly);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    std::string error = "cannot open or create the store file '" + db_path + "': ";
    error += std::strerror(errno);
    error += " (check that the directory exists and is writable)";
    return error;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    if (auto error = tighten(db_path + suffix)) return error;
  }
  return std::nullopt;
}

}  // namespace ttb::store
