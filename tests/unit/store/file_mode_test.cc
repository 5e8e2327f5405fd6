// The SQLite file holds candidates' personal data and each order's callback secret: it, and its
// -wal and -shm files, are readable and writable by their owner only, whatever the umask.

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

class FileModeTest : public StoreFixture {
 protected:
  // The most permissive umask, so the test proves the store does not rely on the environment's.
  void SetUp() override { old_umask_ = ::umask(0); }
  void TearDown() override { ::umask(old_umask_); }

  static unsigned mode_of(const std::filesystem::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
  }

  std::filesystem::path db() const { return dir_.path() / "ttb.db"; }

  mode_t old_umask_ = 0;
};

TEST_F(FileModeTest, ANewStoreFileAndItsWalAndShmAreOwnerOnly) {
  auto store = open();
  ASSERT_TRUE(store->accept_order(order("pr-1", "ev-1")));  // the WAL has content now
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::filesystem::path file = db().string() + suffix;
    ASSERT_TRUE(std::filesystem::exists(file)) << file;
    EXPECT_EQ(mode_of(file), 0600u) << file;
  }
}

TEST_F(FileModeTest, AnExistingWorldReadableStoreIsTightenedAtOpen) {
  open()->close();
  std::filesystem::permissions(db(), std::filesystem::perms(0644));
  { std::ofstream(db().string() + "-wal").flush(); }
  std::filesystem::permissions(db().string() + "-wal", std::filesystem::perms(0644));
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(mode_of(db()), 0600u);
  EXPECT_EQ(mode_of(db().string() + "-wal"), 0600u);
  ASSERT_TRUE(store->accept_order(order("pr-1", "ev-1")));
  EXPECT_EQ(mode_of(db().string() + "-shm"), 0600u);
}

}  // namespace
}  // namespace ttb::store::testing
