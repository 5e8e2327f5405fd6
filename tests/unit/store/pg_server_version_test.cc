// The oldest PostgreSQL server the store accepts (pg_migrations.h), and what it says of an older
// one. Needs no server: the PostgreSQL tests run on 15, which passes the check at every open.

#include <gtest/gtest.h>

#include "store/pg_migrations.h"

namespace ttb::store {
namespace {

TEST(PgServerVersion, TwelveAndNewerAreAccepted) {
  EXPECT_EQ(pg_server_too_old(120000), "");
  EXPECT_EQ(pg_server_too_old(150004), "");
  EXPECT_EQ(pg_server_too_old(170002), "");
}

TEST(PgServerVersion, AnOlderServerIsRefusedWithItsVersionAndTheOneNeeded) {
  EXPECT_EQ(pg_server_too_old(110022),
            "PostgreSQL 11.22 is too old for the store: it needs 12 or newer");
  EXPECT_EQ(pg_server_too_old(90624),
            "PostgreSQL 9.6.24 is too old for the store: it needs 12 or newer");
}

}  // namespace
}  // namespace ttb::store
