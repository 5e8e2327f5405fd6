#pragma once
// The PostgreSQL phases of ttb_bench (`scripts/bench --store postgresql`): the real ttbridged on a
// postgresql:// store of a throwaway cluster, one fresh database per phase. Ingest at full speed
// (ingest_rps_pg), webhooks to invitations with one daemon (e2e_invites_per_s_pg) and with two
// daemons on one database, the webhooks split between them (e2e_invites_per_s_pg_2daemons).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ttb::bench {

struct PgPhaseOptions {
  std::string cluster_url;  // postgresql://USER@HOST:PORT/DB of the cluster; may create databases
  int tenants = 1000;       // tenant files, two providers each, as the SQLite phases
  int e2e_orders = 2000;
  int ingest_max = 60000;
  unsigned connections = 128;  // ingest: webhooks in flight at once
  double ingest_seconds = 5;
  unsigned server_threads = 16;  // server.threads: the daemon's default, as the SQLite phases
  unsigned job_workers = 0;      // jobs.workers of every daemon (--job-workers); 0: its default
  std::string ttbridged;         // another ttbridged to measure (--ttbridged); "" is this build's
};

struct PgFigure {
  std::string name;
  double value = 0;
  std::string unit;
  std::string note;
};

struct PgPhaseResult {
  std::vector<PgFigure> figures;
  nlohmann::json details = nlohmann::json::object();
  std::string error;  // a phase that could not run (no daemon, no database): why
};

PgPhaseResult run_pg_phases(const PgPhaseOptions& options);

}  // namespace ttb::bench
