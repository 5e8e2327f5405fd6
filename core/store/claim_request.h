#pragma once
// What a claim of due jobs asks for (Store::claim_due_jobs, and ChangeSet::then_claim: a claim
// that rides on a job's completion, in the same commit). Its own header so that both the store
// interface and the change set can name it.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "store/records.h"

namespace ttb::store {

// The seam for per-tenant/per-provider limits (jobs/job_limits.h): claim skips jobs it refuses.
using ClaimAdmit = std::function<bool(const std::string& tenant, const std::string& provider)>;

struct ClaimRequest {
  // A constructor rather than an aggregate, so {now, limit, admit} keeps compiling warning-free
  // as fields are added.
  ClaimRequest(TimePoint now_ = {}, int limit_ = 1, ClaimAdmit admit_ = {})
      : now(now_), limit(limit_), admit(std::move(admit_)) {}

  TimePoint now{};
  int limit = 1;
  ClaimAdmit admit;  // empty = admit all
  // Tenants and "tenant/provider" pairs at their limit right now: their jobs are skipped in the
  // query itself, so a backlog of one tenant cannot hide the due jobs of the others.
  std::vector<std::string> skip_tenants;
  std::vector<std::string> skip_providers;
  // Which kinds of job this claim may take. Teamtailor writes (`push`) and vendor work (every
  // other kind) run on budgets of their own (jobs/job_runner.h), so each claims only its own.
  // PostgreSQL's claim indexes its statement texts by it (pg_claim.cc): keep the order.
  enum class Kinds { all = 0, pushes = 1, vendor_work = 2 };
  Kinds kinds = Kinds::all;
};

}  // namespace ttb::store
