// The operator's CLI as an operator runs it: the real ttbridge binary on a config and a store
// filled through the store API (as the daemon fills it), while that store stays open in this
// process the way the daemon keeps it open.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "daemon_process.h"
#include "orders/order_service.h"
#include "store/sqlite_db.h"
#include "store/store.h"
#include "temp_dir.h"

extern char** environ;

namespace ttb {
namespace {

using testing::TempDir;

// Distinct values, so the output can be searched for any of them.
constexpr const char* kApiKey = "partner-api-key-S3CRET1";
constexpr const char* kWebhookSecret = "webhook-secret-S3CRET2";
constexpr const char* kCheckrKey = "checkr-key-S3CRET3";
constexpr const char* kActivationToken = "acme-token-S3CRET4-0123456789";

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::string all() const { return out + err; }
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CliTest : public ::testing::Test {
 protected:
  // tenants/acme.yaml with the test's activation token and `providers`, the YAML list under
  // `providers:` (its items indented by two spaces).
  void write_acme(const std::string& providers) {
    dir_.write("tenants/acme.yaml", std::string("id: acme\nactivation_token: \"") +
                                        kActivationToken + "\"\nproviders:\n" + providers);
  }

  void SetUp() override {
    dir_.write("ttbridged.yaml", R"(server:
  listen: "127.0.0.1:0"
  public_url: "https://ttb.example"
teamtailor:
  api_url: "http://127.0.0.1:9/partner/v1"
  api_key: "${env:TT_KEY}"
  webhook_secret: "${env:TT_SECRET}"
store: { url: "sqlite://var/ttbridge.db" }
plugins: { dir: ")" + testing::plugin_dir().string() +
                                     R"(" }
tenants: { dir: "tenants" }
)");
    write_acme(R"(  - name: checkr
    plugin: checkr
    config: { api_key: "${env:CHECKR_KEY}", base_url: "http://127.0.0.1:9/v1" }
)");
    dir_.write("tenants/beta.yaml",
               "id: beta\nactivation_token: \"beta-token-1-0123456789\"\nproviders: []\n");
    std::filesystem::create_directories(dir_ / "var");

    auto opened = store::open_store("sqlite://" + (dir_ / "var/ttbridge.db").string());
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    service_ = std::make_unique<orders::OrderService>(
        *store_, orders::OrderServiceOptions{"https://ttb.example"});
    accept("pr-1", "acme");
    accept("pr-2", "beta");
    // pr-1 is invited: the vendor accepted it, so its result ("sent") is waiting to be pushed.
    auto applied = service_->apply_vendor_update(
        "acme", "checkr", R"({"order_id":"pr-1","vendor_order_id":"v-1","status":"sent"})",
        "vendor");
    ASSERT_EQ(applied.status, orders::ApplyResult::Status::applied) << applied.message;
  }

  void accept(const std::string& id, const std::string& tenant) {
    store::NewOrder order;
    order.id = id;
    order.event_id = "ev-" + id;
    order.tenant = tenant;
    order.provider = "checkr";
    order.test_id = "basic_criminal";
    order.candidate_json =
        R"({"id":"cand-)" + id +
        R"(","first_name":"Ada","last_name":"Lovelace","email":"ada@example.org","phone":"+4670000"})";
    order.job_json = R"({"id":"job-7","title":"Engineer"})";
    order.options_json = R"({"test":"checkr:basic_criminal"})";
    ASSERT_EQ(service_->accept(order)->outcome, store::Accepted::Outcome::created);
  }

  // Runs build/bin/ttbridge in the temp dir (posix_spawn: this process has threads).
  // `with_secrets` false: TT_KEY, TT_SECRET and CHECKR_KEY are unset, as for an operator
  // without the daemon's environment.
  CliRun ttbridge(std::vector<std::string> args, bool with_config = true,
                  bool with_secrets = true) {
    if (with_config) {
      args.emplace_back("--config");
      args.push_back((dir_ / "ttbridged.yaml").string());
    }
    const std::string binary = (testing::binary_dir() / "ttbridge").string();
    std::vector<std::string> env_text;
    if (with_secrets) {
      env_text = {std::string("TT_KEY=") + kApiKey, std::string("TT_SECRET=") + kWebhookSecret,
                  std::string("CHECKR_KEY=") + kCheckrKey};
    }
    for (char** e = environ; *e != nullptr; ++e) env_text.emplace_back(*e);
    std::vector<char*> argv{const_cast<char*>(binary.c_str())};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    envp.reserve(env_text.size() + 1);
    for (auto& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);

    const std::string out_path = (dir_ / "cli.out").string();
    const std::string err_path = (dir_ / "cli.err").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, dir_.path().c_str());
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    pid_t pid = -1;
    CliRun run;
    const int spawned =
        posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
      run.err = "cannot start " + binary;
      return run;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.out = read_file(out_path);
    run.err = read_file(err_path);
    return run;
  }

  std::size_t jobs_of(const std::string& order_id, store::JobKind kind) {
    std::size_t n = 0;
    for (const auto& job : *store_->list_jobs({false, "", order_id, 1000})) n += job.kind == kind;
    return n;
  }

  // Runs pr-2's invite job and kills it, as the runner does when attempts run out.
  std::int64_t dead_invite_of_pr2() {
    store::JobRecord invite;
    for (const auto& job : *store_->list_jobs({false, "", "pr-2", 10})) {
      if (job.kind == store::JobKind::invite) invite = job;
    }
    EXPECT_NE(invite.id, 0);
    EXPECT_TRUE(store_->kill_job({invite.id, 0}, "vendor refused ada@example.org: 422"));
    return invite.id;
  }

  static void expect_no_secret_or_personal_data(const CliRun& run) {
    for (const char* secret : {kApiKey, kWebhookSecret, kCheckrKey, kActivationToken}) {
      EXPECT_EQ(run.all().find(secret), std::string::npos) << secret << " in:\n" << run.all();
    }
    for (const char* personal : {"ada@example.org", "Lovelace", "+4670000"}) {
      EXPECT_EQ(run.all().find(personal), std::string::npos) << personal << " in:\n" << run.all();
    }
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<orders::OrderService> service_;
};

TEST_F(CliTest, TenantsListShowsProvidersAndPluginVersionsWithoutSecrets) {
  CliRun json_run = ttbridge({"tenants", "list", "--json"});
  ASSERT_EQ(json_run.exit_code, 0) << json_run.all();
  const auto json = nlohmann::json::parse(json_run.out);
  ASSERT_EQ(json["tenants"].size(), 2u);
  EXPECT_EQ(json["tenants"][0]["id"], "acme");
  const auto& provider = json["tenants"][0]["providers"][0];
  EXPECT_EQ(provider["name"], "checkr");
  EXPECT_EQ(provider["plugin"], "checkr");
  EXPECT_EQ(provider["enabled"], true);
  const std::string version = provider["plugin_version"].get<std::string>();
  EXPECT_FALSE(version.empty());
  EXPECT_FALSE(provider["plugin_name"].get<std::string>().empty());
  EXPECT_TRUE(json["tenants"][1]["providers"].empty());
  expect_no_secret_or_personal_data(json_run);

  CliRun table = ttbridge({"tenants", "list"});
  ASSERT_EQ(table.exit_code, 0) << table.all();
  EXPECT_NE(table.out.find("TENANT"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("acme"), std::string::npos);
  EXPECT_NE(table.out.find(version), std::string::npos) << table.out;
  expect_no_secret_or_personal_data(table);
}

TEST_F(CliTest, OrdersListFiltersByTenantAndStatus) {
  CliRun all = ttbridge({"orders", "list", "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.all();
  EXPECT_EQ(nlohmann::json::parse(all.out)["orders"].size(), 2u);

  CliRun acme = ttbridge({"orders", "list", "--tenant", "acme", "--json"});
  ASSERT_EQ(acme.exit_code, 0) << acme.all();
  const auto orders = nlohmann::json::parse(acme.out)["orders"];
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0]["id"], "pr-1");
  EXPECT_EQ(orders[0]["status"], "invited");
  EXPECT_EQ(orders[0]["vendor_order_id"], "v-1");
  EXPECT_EQ(orders[0]["candidate_id"], "cand-pr-1");

  CliRun received = ttbridge({"orders", "list", "--status", "received"});
  ASSERT_EQ(received.exit_code, 0) << received.all();
  EXPECT_NE(received.out.find("pr-2"), std::string::npos) << received.out;
  EXPECT_EQ(received.out.find("pr-1"), std::string::npos) << received.out;
  expect_no_secret_or_personal_data(received);
}

TEST_F(CliTest, OrdersShowTellsTheStoryWithIdsOnly) {
  CliRun table = ttbridge({"orders", "show", "pr-1"});
  ASSERT_EQ(table.exit_code, 0) << table.all();
  for (const char* expected : {"pr-1", "invited", "cand-pr-1", "v-1", "timeline", "received",
                               "webhook ev-pr-1", "jobs", "invite", "push"}) {
    EXPECT_NE(table.out.find(expected), std::string::npos) << expected << " in:\n" << table.out;
  }
  expect_no_secret_or_personal_data(table);

  CliRun json_run = ttbridge({"orders", "show", "pr-1", "--json"});
  ASSERT_EQ(json_run.exit_code, 0) << json_run.all();
  const auto json = nlohmann::json::parse(json_run.out);
  // The operator API's order page, without the candidate's name and e-mail.
  EXPECT_EQ(json["id"], "pr-1");
  EXPECT_EQ(json["candidate"], nlohmann::json({{"id", "cand-pr-1"}}));
  EXPECT_EQ(json["card"]["status"], "sent");
  // The default summary names the candidate's e-mail; the CLI shows it without.
  EXPECT_NE(json["card"]["summary"].get<std::string>().find("<email>"), std::string::npos);
  const auto& timeline = json["timeline"];
  ASSERT_GE(timeline.size(), 2u);
  EXPECT_EQ(timeline[0]["kind"], "received");
  EXPECT_EQ(timeline[0]["source"], "teamtailor");
  EXPECT_FALSE(timeline[0]["at"].get<std::string>().empty());
  std::vector<std::string> kinds;
  for (const auto& job : json["jobs"]) kinds.push_back(job["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"invite", "push"}));
  expect_no_secret_or_personal_data(json_run);
}

TEST_F(CliTest, ReadOnlyCommandsNeedOnlyTheStoreNotTheSecrets) {
  // Without the daemon's secrets the full config does not load ...
  CliRun check = ttbridge({"config", "check"}, true, false);
  EXPECT_EQ(check.exit_code, 1) << check.all();
  // ... but what only reads the store (or lists tenants, printing no secret) still runs.
  CliRun orders = ttbridge({"orders", "list", "--json"}, true, false);
  ASSERT_EQ(orders.exit_code, 0) << orders.all();
  EXPECT_EQ(nlohmann::json::parse(orders.out)["orders"].size(), 2u);
  CliRun show = ttbridge({"orders", "show", "pr-1", "--json"}, true, false);
  ASSERT_EQ(show.exit_code, 0) << show.all();
  EXPECT_EQ(nlohmann::json::parse(show.out)["id"], "pr-1");
  CliRun jobs = ttbridge({"jobs", "list", "--json"}, true, false);
  ASSERT_EQ(jobs.exit_code, 0) << jobs.all();
  EXPECT_FALSE(nlohmann::json::parse(jobs.out)["jobs"].empty());
  CliRun tenants = ttbridge({"tenants", "list", "--json"}, true, false);
  ASSERT_EQ(tenants.exit_code, 0) << tenants.all();
  EXPECT_EQ(nlohmann::json::parse(tenants.out)["tenants"].size(), 2u);
  for (const CliRun* run : {&orders, &show, &jobs, &tenants}) {
    expect_no_secret_or_personal_data(*run);
    EXPECT_EQ(run->all().find("unset-"), std::string::npos) << run->all();
  }

  // --store names the store directly: no config file is read at all.
  const std::string url = "sqlite://" + (dir_ / "var/ttbridge.db").string();
  CliRun direct = ttbridge(
      {"orders", "list", "--tenant", "beta", "--json", "--store", url, "--config", "/nonexistent"},
      false, false);
  ASSERT_EQ(direct.exit_code, 0) << direct.all();
  EXPECT_EQ(nlohmann::json::parse(direct.out)["orders"][0]["id"], "pr-2");
  CliRun missing = ttbridge({"jobs", "list", "--store", "sqlite:///nonexistent/ttb.db"}, false);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
}

TEST_F(CliTest, UnknownOrderExitsOneWithAClearMessage) {
  CliRun run = ttbridge({"orders", "show", "pr-nope"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("no order pr-nope"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("ttbridge orders list"), std::string::npos) << run.err;
  EXPECT_TRUE(run.out.empty()) << run.out;

  CliRun replay = ttbridge({"orders", "replay", "pr-nope", "--step", "push"});
  EXPECT_EQ(replay.exit_code, 1);
  EXPECT_NE(replay.err.find("no order pr-nope"), std::string::npos) << replay.err;
}

TEST_F(CliTest, StoreMigratePrintsTheSchemaVersionOfAnUpToDateStore) {
  CliRun migrated = ttbridge({"store", "migrate", "--json"});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.all();
  const auto out = nlohmann::json::parse(migrated.out);
  EXPECT_EQ(out["schema_version"],
            store::migrate_store("sqlite://" + (dir_ / "var/ttbridge.db").string()).value());
  EXPECT_GE(out["schema_version"].get<int>(), 5);
  CliRun text = ttbridge({"store", "migrate"});
  ASSERT_EQ(text.exit_code, 0) << text.all();
  EXPECT_NE(text.out.find("schema version"), std::string::npos) << text.out;
  // The store the daemon filled is untouched.
  EXPECT_EQ(store_->list_orders({})->size(), 2u);
}

// In a rolling upgrade a newer ttbridge may have migrated the store further: the version printed
// is the database's, not the newest this build knows.
TEST_F(CliTest, StoreMigratePrintsTheDatabasesVersionWhenANewerTtbridgeMigratedIt) {
  const std::string path = (dir_ / "var/ttbridge.db").string();
  const int known = store::migrate_store("sqlite://" + path).value();
  {
    store::SqliteDb db(path, 1000);
    db.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
            std::to_string(known + 1) + ", 'from a newer ttbridge', 0)");
  }
  CliRun migrated = ttbridge({"store", "migrate", "--json"});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.all();
  const auto out = nlohmann::json::parse(migrated.out);
  EXPECT_EQ(out["schema_version"], known + 1);
  EXPECT_EQ(out["known_schema_version"], known);
  CliRun text = ttbridge({"store", "migrate"});
  EXPECT_NE(text.out.find("schema version " + std::to_string(known + 1) +
                          " (a newer ttbridge's: this one knows up to " + std::to_string(known)),
            std::string::npos)
      << text.out;
}

TEST_F(CliTest, StoreCopyFillsANewStoreAndRefusesOneThatIsNotEmpty) {
  const std::string target = "sqlite://" + (dir_ / "var/copy.db").string();
  CliRun copied = ttbridge({"store", "copy", "--from",
                            "sqlite://" + (dir_ / "var/ttbridge.db").string(), "--to", target});
  ASSERT_EQ(copied.exit_code, 0) << copied.all();
  EXPECT_NE(copied.err.find("copied orders: 2 rows"), std::string::npos) << copied.err;
  EXPECT_NE(copied.out.find("copied "), std::string::npos) << copied.out;

  CliRun listed = ttbridge({"orders", "list", "--store", target, "--json"}, false);
  ASSERT_EQ(listed.exit_code, 0) << listed.all();
  EXPECT_EQ(nlohmann::json::parse(listed.out)["orders"].size(), 2u);

  // --to defaults to the config's store.url, which holds the daemon's orders: refused.
  CliRun again = ttbridge({"store", "copy", "--from", target});
  EXPECT_EQ(again.exit_code, 1) << again.all();
  EXPECT_NE(again.err.find("not empty"), std::string::npos) << again.err;
  EXPECT_EQ(store_->list_orders({})->size(), 2u);
}

TEST_F(CliTest, StoreCopyNeverPrintsThePasswordOfAStoreUrl) {
  CliRun failed =
      ttbridge({"store", "copy", "--from", "sqlite://" + (dir_ / "var/ttbridge.db").string(),
                "--to", "postgresql://ttb:sekrit-pass@127.0.0.1:1/ttb?connect_timeout=2"},
               false);
  EXPECT_EQ(failed.exit_code, 1) << failed.all();
  EXPECT_NE(failed.err.find("<redacted>"), std::string::npos) << failed.err;
  EXPECT_EQ(failed.all().find("sekrit-pass"), std::string::npos) << failed.all();
}

TEST_F(CliTest, JobsListDeadShowsDeadLettersAndRetryRequeuesThem) {
  const std::int64_t dead = dead_invite_of_pr2();

  CliRun listed = ttbridge({"jobs", "list", "--dead", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.all();
  const auto jobs = nlohmann::json::parse(listed.out)["jobs"];
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0]["id"], dead);
  EXPECT_EQ(jobs[0]["order_id"], "pr-2");
  EXPECT_EQ(jobs[0]["state"], "dead");
  EXPECT_EQ(jobs[0]["last_error"], "vendor refused <email>: 422");

  CliRun table = ttbridge({"jobs", "list", "--dead", "--tenant", "beta"});
  ASSERT_EQ(table.exit_code, 0) << table.all();
  EXPECT_NE(table.out.find("pr-2"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("dead"), std::string::npos) << table.out;
  expect_no_secret_or_personal_data(table);
  CliRun other_tenant = ttbridge({"jobs", "list", "--dead", "--tenant", "acme"});
  EXPECT_NE(other_tenant.out.find("no dead jobs"), std::string::npos) << other_tenant.out;

  CliRun retried = ttbridge({"jobs", "retry", std::to_string(dead)});
  ASSERT_EQ(retried.exit_code, 0) << retried.all();
  EXPECT_EQ(store_->get_job(dead)->state, store::JobState::queued);
  EXPECT_EQ(store_->get_job(dead)->attempts, 0);
  EXPECT_EQ(store_->timeline("pr-2")->back().event, "job_retried");
  EXPECT_NE(ttbridge({"jobs", "list", "--dead"}).out.find("no dead jobs"), std::string::npos);

  CliRun again = ttbridge({"jobs", "retry", std::to_string(dead)});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("not dead"), std::string::npos) << again.err;
  CliRun missing = ttbridge({"jobs", "retry", "99999"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no job 99999"), std::string::npos) << missing.err;
}

TEST_F(CliTest, JobsRetryAllRequeuesOnlyTheNamedTenantsDeadJobs) {
  const std::int64_t dead = dead_invite_of_pr2();
  CliRun acme = ttbridge({"jobs", "retry", "--all", "--tenant", "acme", "--json"});
  ASSERT_EQ(acme.exit_code, 0) << acme.all();
  EXPECT_EQ(nlohmann::json::parse(acme.out)["requeued"], 0);
  EXPECT_EQ(store_->get_job(dead)->state, store::JobState::dead);

  CliRun beta = ttbridge({"jobs", "retry", "--all", "--tenant", "beta"});
  ASSERT_EQ(beta.exit_code, 0) << beta.all();
  EXPECT_NE(beta.out.find("requeued 1 dead job"), std::string::npos) << beta.out;
  EXPECT_EQ(store_->get_job(dead)->state, store::JobState::queued);
}

TEST_F(CliTest, ReplayPushQueuesOnePushAndNoInvite) {
  const std::size_t invites = jobs_of("pr-1", store::JobKind::invite);
  const std::size_t pushes = jobs_of("pr-1", store::JobKind::push);
  CliRun run = ttbridge({"orders", "replay", "pr-1", "--step", "push", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["step"], "push");
  const auto job = store_->get_job(json["job_id"].get<std::int64_t>());
  ASSERT_TRUE(job);
  EXPECT_EQ(job->kind, store::JobKind::push);
  EXPECT_EQ(job->order_id, "pr-1");
  EXPECT_EQ(jobs_of("pr-1", store::JobKind::push), pushes + 1);
  EXPECT_EQ(jobs_of("pr-1", store::JobKind::invite), invites);
  EXPECT_EQ(store_->timeline("pr-1")->back().source, "operator");
}

TEST_F(CliTest, LeavesTheDaemonsRunningJobsAlone) {
  store::ClaimRequest claim;
  claim.now = std::chrono::system_clock::now() + std::chrono::hours(1);
  claim.limit = 1;
  const auto claimed = *store_->claim_due_jobs(claim);
  ASSERT_EQ(claimed.size(), 1u);

  CliRun run = ttbridge({"jobs", "list", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(store_->get_job(claimed[0].id)->state, store::JobState::running);
  bool listed_running = false;
  const auto listed = nlohmann::json::parse(run.out);
  for (const auto& job : listed["jobs"]) {
    listed_running |= job["id"] == claimed[0].id && job["state"] == "running";
  }
  EXPECT_TRUE(listed_running) << run.out;
}

TEST_F(CliTest, PluginCheckPassesOnCheckrAndFailsOnANonPlugin) {
  CliRun pass = ttbridge({"plugin", "check", (testing::plugin_dir() / "checkr.so").string(),
                          "--config", R"({"api_key":"k"})"},
                         false);
  EXPECT_EQ(pass.exit_code, 0) << pass.all();
  EXPECT_NE(pass.out.find("RESULT PASS"), std::string::npos) << pass.out;

  const auto fake = dir_.write("not-a-plugin.so", "this is not a shared library\n");
  CliRun fail = ttbridge({"plugin", "check", fake.string()}, false);
  EXPECT_EQ(fail.exit_code, 1) << fail.all();
  EXPECT_NE(fail.out.find("FAIL"), std::string::npos) << fail.out;
}

TEST_F(CliTest, UsageErrorsExitTwoAndHelpExitsZero) {
  EXPECT_EQ(ttbridge({}, false).exit_code, 2);
  EXPECT_EQ(ttbridge({"orders", "list", "--status", "lost"}).exit_code, 2);
  EXPECT_EQ(ttbridge({"orders", "replay", "pr-1", "--step", "cancel"}).exit_code, 2);
  CliRun retry = ttbridge({"jobs", "retry"});
  EXPECT_EQ(retry.exit_code, 2);
  EXPECT_NE(retry.err.find("--all"), std::string::npos) << retry.err;
  for (const auto& command : std::vector<std::vector<std::string>>{{"tenants", "list"},
                                                                   {"orders", "list"},
                                                                   {"orders", "show"},
                                                                   {"orders", "replay"},
                                                                   {"jobs", "list"},
                                                                   {"jobs", "retry"},
                                                                   {"plugin", "check"},
                                                                   {"config", "check"}}) {
    auto args = command;
    args.emplace_back("--help");
    CliRun help = ttbridge(args, false);
    EXPECT_EQ(help.exit_code, 0) << command[0] << " " << command[1] << ": " << help.all();
    EXPECT_NE(help.out.find("--config"), std::string::npos) << help.out;
  }
}

TEST_F(CliTest, AMissingStoreFileIsAClearErrorAndNotCreated) {
  // As when the CLI runs from another directory than the daemon: the relative path names no file.
  std::string other = read_file(dir_ / "ttbridged.yaml");
  other.replace(other.find("var/ttbridge.db"), 15, "var/elsewhere.db");
  dir_.write("other.yaml", other);

  CliRun run = ttbridge({"orders", "list", "--config", (dir_ / "other.yaml").string()}, false);
  EXPECT_EQ(run.exit_code, 1) << run.all();
  EXPECT_NE(run.err.find("var/elsewhere.db does not exist"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("working directory"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "var/elsewhere.db"));
}

TEST_F(CliTest, ConfigCheckReportsAdminProblemsAtTheirPosition) {
  // The admin section follows the main file's last line; its `listen` is the line after `admin:`.
  const std::string main = read_file(dir_ / "ttbridged.yaml");
  const std::string at =
      ":" + std::to_string(std::count(main.begin(), main.end(), '\n') + 2) + ":11: ";
  dir_.write("admin.yaml", main + "admin:\n  listen: \"unix:\"\n");
  CliRun run = ttbridge({"config", "check", "--config", (dir_ / "admin.yaml").string()}, false);
  EXPECT_EQ(run.exit_code, 1) << run.all();
  EXPECT_NE(run.err.find("admin.yaml" + at + "admin.listen 'unix:' names no socket file"),
            std::string::npos)
      << run.err;
  dir_.write("socket.yaml", main + "admin:\n  listen: \"unix:/run/ttbridge/admin.sock\"\n");
  run = ttbridge({"config", "check", "--config", (dir_ / "socket.yaml").string()}, false);
  EXPECT_EQ(run.exit_code, 0) << run.all();

  dir_.write("clash.yaml", main + "admin:\n  listen: \"0.0.0.0:0\"\n");
  run = ttbridge({"config", "check", "--config", (dir_ / "clash.yaml").string()}, false);
  EXPECT_EQ(run.exit_code, 0) << run.all();  // port 0 never clashes

  std::string fixed = main;
  fixed.replace(fixed.find("127.0.0.1:0"), 11, "127.0.0.1:8080");
  dir_.write("clash.yaml", fixed + "admin:\n  listen: \"0.0.0.0:8080\"\n");
  run = ttbridge({"config", "check", "--config", (dir_ / "clash.yaml").string()}, false);
  EXPECT_EQ(run.exit_code, 1) << run.all();
  EXPECT_NE(run.err.find("clash.yaml" + at +
                         "admin.listen 0.0.0.0:8080 and server.listen 127.0.0.1:8080 use the "
                         "same port"),
            std::string::npos)
      << run.err;
}

TEST_F(CliTest, ConfigCheckValidatesProviderConfigsAgainstThePluginsSchema) {
  CliRun run = ttbridge({"config", "check"});
  EXPECT_EQ(run.exit_code, 0) << run.all();

  write_acme(R"(  - name: checkr
    plugin: checkr
    config: { api_key: "${env:CHECKR_KEY}", score: "maybe", api_kye: "x" }
)");
  run = ttbridge({"config", "check"});
  EXPECT_EQ(run.exit_code, 1) << run.all();
  EXPECT_NE(run.err.find("acme.yaml:4:"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("provider checkr: `config.score` must be one of \"none\", \"binary\", "
                         "\"assessment\""),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("`config.api_kye` is not a setting of plugin checkr"), std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find(kCheckrKey), std::string::npos) << "values are never printed";
}

// A disabled provider is not loaded by the daemon, so the check does not load it either: its
// plugin file need not exist and its config need not be complete yet.
TEST_F(CliTest, ConfigCheckPassesDisabledProvidersAsTheDaemonDoes) {
  write_acme(R"(  - name: checkr
    plugin: checkr
    enabled: false
    config: { score: "maybe" }
  - name: later
    plugin: not-built-yet
    enabled: false
)");
  CliRun run = ttbridge({"config", "check"});
  EXPECT_EQ(run.exit_code, 0) << run.all();
  EXPECT_NE(run.out.find(" providers, 2 disabled)"), std::string::npos) << run.out;
}

TEST_F(CliTest, AConfigThatDoesNotLoadExitsOneAndSaysWhatToDo) {
  CliRun run = ttbridge({"orders", "list", "--config", (dir_ / "missing.yaml").string()}, false);
  EXPECT_EQ(run.exit_code, 1) << run.all();
  EXPECT_NE(run.err.find("cannot load the configuration"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("config check"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace ttb
