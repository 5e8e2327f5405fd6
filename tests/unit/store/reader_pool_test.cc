#include "store/reader_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <optional>
#include <stdexcept>

namespace ttb::store {
namespace {

using namespace std::chrono_literals;

struct FakeConnection {
  int number;
};

// Opens numbered connections; `fail_next` makes the next open throw, as a database that refuses.
struct Opener {
  int opened = 0;
  bool fail_next = false;
  ReaderPool<FakeConnection>::Open open() {
    return [this] {
      if (fail_next) {
        fail_next = false;
        throw std::runtime_error("refused");
      }
      return std::make_unique<FakeConnection>(FakeConnection{++opened});
    };
  }
};

TEST(ReaderPool, ALongReadLeavesTheNextReadAConnectionOfItsOwn) {
  Opener opener;
  ReaderPool<FakeConnection> pool(opener.open(), 4);
  EXPECT_EQ(pool.open_connections(), 1);  // the first, opened with the store
  const auto slow = pool.acquire();
  const auto quick = pool.acquire();  // does not wait for `slow`
  EXPECT_NE(slow.connection().number, quick.connection().number);
  EXPECT_EQ(pool.open_connections(), 2);
}

TEST(ReaderPool, AReturnedConnectionIsLentAgainBeforeANewOneIsOpened) {
  Opener opener;
  ReaderPool<FakeConnection> pool(opener.open(), 4);
  for (int i = 0; i < 10; ++i) {
    const auto lease = pool.acquire();
    EXPECT_EQ(lease.connection().number, 1);
  }
  EXPECT_EQ(opener.opened, 1);
}

TEST(ReaderPool, AtItsLimitAReadWaitsForAConnectionToComeBack) {
  Opener opener;
  ReaderPool<FakeConnection> pool(opener.open(), 2);
  std::optional<ReaderPool<FakeConnection>::Lease> a(pool.acquire());
  const auto b = pool.acquire();
  const int a_number = a->connection().number;
  auto third = std::async(std::launch::async, [&] { return pool.acquire().connection().number; });
  // Still waiting: both connections are lent and no third may be opened.
  EXPECT_EQ(third.wait_for(100ms), std::future_status::timeout);
  a.reset();
  EXPECT_EQ(third.get(), a_number);
  EXPECT_EQ(opener.opened, 2);
}

TEST(ReaderPool, AConnectionThatCannotBeOpenedFailsOnlyItsReadAndFreesItsPlace) {
  Opener opener;
  ReaderPool<FakeConnection> pool(opener.open(), 2);
  const auto held = pool.acquire();
  opener.fail_next = true;
  EXPECT_THROW(pool.acquire(), std::runtime_error);
  EXPECT_EQ(pool.open_connections(), 1);
  const auto second = pool.acquire();  // the place is free again: opened now
  EXPECT_EQ(second.connection().number, 2);
}

}  // namespace
}  // namespace ttb::store
