#include "engine_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

namespace ttb::testing {

std::string tenant_yaml(const std::string& id, const std::string& activation_token,
                        const std::string& providers_yaml,
                        const std::optional<std::string>& company_uuid) {
  std::string out = "id: " + id + "\nactivation_token: \"" + activation_token + "\"\n";
  if (company_uuid) out += "company_uuid: \"" + *company_uuid + "\"\n";
  out += providers_yaml.empty() ? "providers: []\n" : "providers:\n" + providers_yaml;
  return out;
}

unsigned short free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind a loopback port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

Engine::Engine(EngineOptions options) : options_(std::move(options)) {
  fakes::FakeTeamtailorOptions tt;
  tt.api_key = options_.partner_api_key;
  teamtailor_ = std::make_unique<fakes::FakeTeamtailor>(tt);
  http_ = net::make_http_client();
}

Engine::~Engine() {
  if (store_) store_->close();
}

std::filesystem::path Engine::config_path() const {
  return dir_ / "ttbridged.yaml";
}
std::string Engine::store_url() const {
  return options_.store_url.empty() ? std::string("sqlite://var/ttbridge.db") : options_.store_url;
}

std::filesystem::path Engine::store_path() const {
  return dir_ / "var" / "ttbridge.db";
}
std::string Engine::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}
std::string Engine::admin_url() const {
  return daemon_ ? daemon_->admin_url() : std::string();
}

std::string Engine::log() const {
  return daemon_ ? daemon_->log() : std::string();
}

bool Engine::start() {
  // The port is chosen before the start so that public_url (and thus every callback_url handed
  // to a plugin) names the daemon itself. Another process can take it in between: on a parallel
  // test run, a connection of another test may get it as its ephemeral port. The daemon then
  // fails to listen, and the start is tried again on another port (twice at most).
  for (int attempt = 1;; ++attempt) {
    port_ = free_loopback_port();
    write_config();
    auto env = options_.env;
    env.emplace_back("TTB_TEST_TT_API_KEY", options_.partner_api_key);
    env.emplace_back("TTB_TEST_TT_WEBHOOK_SECRET", options_.webhook_secret);
    daemon_ = std::make_unique<DaemonProcess>(config_path(), dir_.path(), env);
    sender_ = std::make_unique<fakes::WebhookSender>(http_, base_url(), options_.webhook_secret,
                                                     options_.partner_api_key);
    if (daemon_->start()) return true;
    const bool port_taken = daemon_->log().find("cannot listen on 127.0.0.1:" +
                                                std::to_string(port_)) != std::string::npos;
    if (!port_taken || attempt == 3) return false;
  }
}

void Engine::write_config() {
  std::string main = "server:\n  listen: \"127.0.0.1:" + std::to_string(port_) +
                     "\"\n  public_url: \"" + base_url() + "\"\n" + options_.server_extra;
  if (!main.empty() && main.back() != '\n') main += '\n';
  // Port 0: every daemon of a parallel test run gets its own free admin port, read back from the
  // "listening" line (the default 127.0.0.1:9090 would clash between them).
  main += "admin:\n  listen: \"" + options_.admin_listen + "\"\n";
  if (!options_.admin_token.empty()) {
    dir_.write("admin.token", options_.admin_token + "\n");
    main += "  token_file: \"admin.token\"\n";
  }
  main += "teamtailor:\n  api_url: \"" + teamtailor_->api_url() +
          "\"\n  api_key: \"${env:TTB_TEST_TT_API_KEY}\"\n"
          "  webhook_secret: \"${env:TTB_TEST_TT_WEBHOOK_SECRET}\"\n" +
          options_.teamtailor_extra + "store: { url: \"" + store_url() +
          "\" }\n"
          "plugins:\n  dir: \"" +
          (options_.plugins_dir.empty() ? plugin_dir() : options_.plugins_dir).string() + "\"\n" +
          options_.plugins_extra;
  if (main.back() != '\n') main += '\n';
  main += "tenants: { dir: \"tenants\" }\n";
  dir_.write("ttbridged.yaml", main);
  std::filesystem::create_directories(dir_ / "tenants");
  std::filesystem::create_directories(dir_ / "var");
  for (const auto& [name, yaml] : options_.tenants) dir_.write("tenants/" + name, yaml);
}

bool Engine::stop() {
  if (store_) {
    store_->close();
    store_.reset();
  }
  if (!daemon_ || !daemon_->running()) return false;
  daemon_->signal(SIGTERM);
  auto status = daemon_->wait_exit();
  return status && *status == 0;
}

net::ClientResponse Engine::request(const std::string& method, const std::string& path,
                                    const std::string& body, net::Headers headers) {
  net::ClientRequest r;
  r.method = method;
  r.url = base_url() + path;
  r.body = body;
  r.headers = std::move(headers);
  return http_->send(r);
}

net::ClientResponse Engine::admin_request(const std::string& method, const std::string& path) {
  return admin_request(method, path, "", {});
}

net::ClientResponse Engine::admin_request(const std::string& method, const std::string& path,
                                          const std::string& body, net::Headers headers) {
  net::ClientRequest r;
  r.method = method;
  r.url = admin_url() + path;
  r.body = body;
  r.headers = std::move(headers);
  return http_->send(r);
}

nlohmann::json Engine::config_form(const std::string& token, const std::string& query) {
  auto response = sender_->get("/config?" + query, token);
  return nlohmann::json::parse(response.body, nullptr, false);
}

std::optional<fakes::PartnerResultWrite> Engine::wait_for_write(
    const std::function<bool(const fakes::PartnerResultWrite&)>& predicate,
    std::chrono::milliseconds timeout) {
  std::optional<fakes::PartnerResultWrite> found;
  teamtailor_->wait_for(
      [&](const std::vector<fakes::PartnerResultWrite>& writes) {
        for (const auto& w : writes)
          if (predicate(w)) {
            found = w;
            return true;
          }
        return false;
      },
      std::chrono::steady_clock::now() + timeout);
  return found;
}

std::optional<fakes::PartnerResultWrite> Engine::wait_for_status(
    const std::string& result_id, const std::string& status, std::chrono::milliseconds timeout) {
  return wait_for_write(
      [&](const fakes::PartnerResultWrite& w) {
        return w.id == result_id && w.attributes.value("status", "") == status;
      },
      timeout);
}

store::Store& Engine::store() {
  if (!store_) {
    store::StoreOptions options;
    options.recover_interrupted_jobs = false;  // the daemon owns its running jobs
    const std::string url =
        options_.store_url.empty() ? "sqlite://" + store_path().string() : options_.store_url;
    auto opened = store::open_store(url, options);
    if (!opened) throw std::runtime_error("cannot open the store: " + opened.error().message);
    store_ = std::move(*opened);
  }
  return *store_;
}

// A read the test cannot go on without: a store failure ends the test with its message.
template <class T>
T read_or_throw(store::Result<T> read) {
  if (!read) throw std::runtime_error("store read failed: " + read.error().message);
  return std::move(*read);
}

std::optional<store::OrderRecord> Engine::order(const std::string& id) {
  auto found = store().get_order(id);
  if (found.failed_with(store::Error::Code::not_found)) return std::nullopt;
  return read_or_throw(std::move(found));
}

std::vector<store::OrderRecord> Engine::orders(const std::string& tenant) {
  store::OrderFilter filter;
  filter.tenant = tenant;
  filter.limit = 10000;
  return read_or_throw(store().list_orders(filter));
}

std::vector<store::TimelineEntry> Engine::timeline(const std::string& id) {
  return read_or_throw(store().timeline(id));
}

std::pair<std::string, int> Engine::cli(
    const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& env) const {
  int out[2];
  if (::pipe(out) != 0) return {"", -1};
  const std::string binary = (binary_dir() / "ttbridge").string();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    if (::chdir(dir_.path().c_str()) != 0) _exit(126);
    std::vector<std::string> argv_s{binary};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    argv.reserve(argv_s.size() + 1);
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::setenv("TTB_TEST_TT_API_KEY", options_.partner_api_key.c_str(), 1);
    ::setenv("TTB_TEST_TT_WEBHOOK_SECRET", options_.webhook_secret.c_str(), 1);
    for (const auto& [k, v] : options_.env) ::setenv(k.c_str(), v.c_str(), 1);
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    ::execv(binary.c_str(), argv.data());
    _exit(127);
  }
  ::close(out[1]);
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(out[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {text, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)};
}

}  // namespace ttb::testing
