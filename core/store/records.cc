#include "store/records.h"

#include <array>
#include <utility>

namespace ttb::store {
namespace {

constexpr std::array<std::pair<JobKind, const char*>, 5> kKinds{{
    {JobKind::invite, "invite"},
    {JobKind::push, "push"},
    {JobKind::poll, "poll"},
    {JobKind::cancel, "cancel"},
    {JobKind::action, "action"},
}};
constexpr std::array<std::pair<JobState, const char*>, 4> kStates{{
    {JobState::queued, "queued"},
    {JobState::running, "running"},
    {JobState::done, "done"},
    {JobState::dead, "dead"},
}};

}  // namespace

const char* to_string(JobKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "unknown";
}

const char* to_string(JobState state) {
  for (const auto& [s, name] : kStates) {
    if (s == state) return name;
  }
  return "unknown";
}

std::optional<JobKind> parse_job_kind(const std::string& text) {
  for (const auto& [k, name] : kKinds) {
    if (text == name) return k;
  }
  return std::nullopt;
}

std::optional<JobState> parse_job_state(const std::string& text) {
  for (const auto& [s, name] : kStates) {
    if (text == name) return s;
  }
  return std::nullopt;
}

NewJob invite_job_for(const NewOrder& order) {
  NewJob invite;
  invite.order_id = order.id;
  invite.tenant = order.tenant;
  invite.provider = order.provider;
  invite.kind = JobKind::invite;
  return invite;
}

}  // namespace ttb::store
