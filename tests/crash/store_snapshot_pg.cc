// StoreSnapshot of a PostgreSQL store, on a connection of the test's own: one REPEATABLE READ
// transaction, so orders and jobs are seen at the same moment while the daemons write.
#include "store/pg_connection.h"
#include "store_snapshot.h"

namespace ttb::crash {

std::optional<StoreSnapshot> StoreSnapshot::read_postgresql(const std::string& url,
                                                            std::string& error) {
  try {
    store::PgConnection db(url);
    db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    StoreSnapshot snap;
    auto orders = db.exec("SELECT id, status, result_version, pushed_version FROM orders");
    for (int r = 0; r < orders.rows(); ++r) {
      StoredOrder o{orders.text(r, 0), orders.text(r, 1), orders.int64(r, 2), orders.int64(r, 3)};
      snap.orders.emplace(o.id, o);
    }
    auto jobs = db.exec("SELECT id, order_id, kind, state, last_error FROM jobs");
    for (int r = 0; r < jobs.rows(); ++r) {
      snap.jobs.push_back({jobs.int64(r, 0), jobs.text(r, 1), jobs.text(r, 2), jobs.text(r, 3),
                           jobs.is_null(r, 4) ? std::string() : jobs.text(r, 4)});
    }
    db.exec("COMMIT");
    return snap;
  } catch (const store::PgError& e) {
    error = e.what();
    return std::nullopt;
  }
}

}  // namespace ttb::crash
