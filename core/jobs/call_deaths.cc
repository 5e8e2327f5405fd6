#include "jobs/call_deaths.h"

namespace ttb::jobs {

bool is_poison(int deaths) {
  return deaths >= kCallDeathsToDeadLetter;
}

std::string poison_reason(int deaths) {
  std::string reason = "the plugin's process died ";
  reason += deaths == 2 ? std::string("twice") : std::to_string(deaths) + " times";
  reason += " during this job's call; it is not run again";
  return reason;
}

CallbackDeaths::CallbackDeaths(std::shared_ptr<const InflightJournal> journal,
                               std::map<std::uint64_t, int> deaths)
    : journal_(std::move(journal)), at_start_(deaths), deaths_(std::move(deaths)) {}

std::uint64_t CallbackDeaths::digest_of(std::string_view tenant, std::string_view provider,
                                        std::string_view method, std::string_view path,
                                        std::string_view body) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const std::string_view field : {tenant, provider, method, path, body}) {
    for (const char c : field) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ULL;
    }
    hash *= 1099511628211ULL;  // the NUL that ends the field (xor with 0 changes nothing)
  }
  return hash;
}

int CallbackDeaths::deaths(std::uint64_t digest) const {
  std::lock_guard lock(mu_);
  auto it = deaths_.find(digest);
  return it == deaths_.end() ? 0 : it->second;
}

void CallbackDeaths::write_back() const {
  if (!journal_) return;
  std::lock_guard lock(mu_);
  for (const auto& [digest, count] : deaths_) journal_->remember_callback_deaths(digest, count);
}

std::size_t CallbackDeaths::forgive() {
  std::lock_guard lock(mu_);
  std::size_t refused = 0;
  for (const auto& [digest, count] : deaths_) {
    if (is_poison(count)) ++refused;
    // Each start written back gets its end: the next start finds nothing left to count.
    if (journal_) {
      for (int i = 0; i < count; ++i) journal_->callback_ended(digest);
    }
  }
  deaths_.clear();
  return refused;
}

RecoveredDeaths count_calls_died_in(const InflightJournal& journal, store::Store& store) {
  RecoveredDeaths recovered;
  recovered.job_ids = journal.unfinished();
  if (!recovered.job_ids.empty()) {
    auto counted = store.count_job_deaths(recovered.job_ids);
    if (!counted) {
      recovered.error =
          "the deaths of plugin calls in flight at the last stop could not be "
          "counted (kept for the next start): " +
          counted.error().message;
      return recovered;
    }
  }
  recovered.error = journal.reset();
  return recovered;
}

}  // namespace ttb::jobs
