// ttb-plugin-host driven frame by frame over its socket, as the daemon drives it: a call sent
// right behind its instance's create (no wait for `created`) is answered after it, a call sent
// behind a destroy finds no instance, and many calls sent back to back are all answered.

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>
#include <vector>

#include "plugins/isolation/channel.h"
#include "plugins/isolation/child_server.h"
#include "plugins/isolation/messages.h"
#include "plugins/isolation/plugin_process.h"

extern char** environ;

namespace ttb::plugins::isolation {
namespace {

constexpr int kChildFd = 3;

// A ttb-plugin-host child on one end of a socketpair; killed at the end of the test.
class ChildServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int sv[2] = {-1, -1};
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, sv[1], kChildFd);  // dup2 clears close-on-exec
    const std::string binary = default_host_binary().string();
    std::vector<std::string> args = {binary, "--fd", std::to_string(kChildFd)};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int spawned =
        ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(sv[1]);
    ASSERT_EQ(spawned, 0) << binary;
    daemon_fd_ = sv[0];
    channel_ = std::make_unique<FrameChannel>(sv[0]);
  }

  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }

  void send(const Frame& frame) { ASSERT_TRUE(channel_->send(frame)); }

  void send_create(std::uint64_t instance) {
    // Built whole, not assigned field by field: GCC 12 at -O3 flags a short literal assigned
    // into the struct's string with a false -Wrestrict.
    std::string path = TTB_TEST_PLUGIN_DIR;
    path += "/ttb_test_good.so";
    const CreateRequest request{std::string("acme"), std::string("p"), std::move(path),
                                std::string(R"({"api_key":"k"})")};
    send(to_frame(instance, request));
  }

  void send_list_tests(std::uint64_t call, std::uint64_t instance) {
    CallRequest request;
    request.instance = instance;
    request.operation = "list_tests";
    send(to_frame(call, request));
  }

  // The next frame that is not a log line.
  Frame next() {
    for (;;) {
      auto frame = channel_->receive();
      if (!frame) {
        ADD_FAILURE() << "the child's stream ended: " << channel_->error();
        return Frame{FrameKind::log, 0, {}};
      }
      if (frame->kind != FrameKind::log) return std::move(*frame);
    }
  }

  // The child's exit status once it has ended by itself (within 10 s), else -1.
  int exit_status() {
    for (int i = 0; i < 1000; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      ::usleep(10'000);
    }
    return -1;
  }

  pid_t pid_ = -1;
  int daemon_fd_ = -1;  // owned by channel_; for bytes that are no frame
  std::unique_ptr<FrameChannel> channel_;
};

TEST_F(ChildServerTest, ACallSentBehindItsInstancesCreateIsAnsweredAfterIt) {
  send_create(1);
  send_list_tests(100, 1);  // no wait for `created`: the call must not overtake the create
  send_list_tests(101, 2);  // an instance nobody created
  std::vector<Frame> frames = {next(), next(), next()};
  std::uint64_t created_at = 99;
  std::uint64_t answered_at = 99;
  for (std::uint64_t i = 0; i < frames.size(); ++i) {
    const Frame& f = frames[i];
    if (f.kind == FrameKind::created) {
      created_at = i;
      EXPECT_TRUE(instance_info_of(f).ok) << instance_info_of(f).error;
    } else if (f.kind == FrameKind::result && f.id == 100) {
      answered_at = i;
      const CallResult r = call_result_of(f);
      EXPECT_EQ(r.status, CallStatus::ok) << r.detail;
      EXPECT_NE(r.json.find("\"t1\""), std::string::npos) << r.json;
    } else if (f.kind == FrameKind::result && f.id == 101) {
      const CallResult r = call_result_of(f);
      EXPECT_EQ(r.status, CallStatus::internal);
      EXPECT_EQ(r.detail, "no such plugin instance in this process");
    } else {
      ADD_FAILURE() << "unexpected frame kind " << static_cast<int>(f.kind) << " id " << f.id;
    }
  }
  EXPECT_LT(created_at, answered_at) << "the create is answered before the call behind it";
  EXPECT_NE(answered_at, 99U);
}

TEST_F(ChildServerTest, ACallSentBehindADestroyFindsNoInstance) {
  send_create(1);
  Frame created = next();
  ASSERT_EQ(created.kind, FrameKind::created);
  ASSERT_TRUE(instance_info_of(created).ok);
  send(Frame{FrameKind::destroy, 1, {}});
  send_list_tests(200, 1);
  Frame answer = next();
  ASSERT_EQ(answer.kind, FrameKind::result);
  EXPECT_EQ(answer.id, 200U);
  EXPECT_EQ(call_result_of(answer).detail, "no such plugin instance in this process");
}

// A stream it cannot read is no daemon's goodbye: the child says so on stderr and in its exit
// code, which the daemon's plugin_process_died line shows.
TEST_F(ChildServerTest, AStreamItCannotReadEndsTheChildWithACodeOfItsOwn) {
  const char longer_than_any_frame[] = {'\xff', '\xff', '\xff', '\xff'};
  ASSERT_EQ(::write(daemon_fd_, longer_than_any_frame, 4), 4);
  EXPECT_EQ(exit_status(), kExitStreamBroke);
}

TEST_F(ChildServerTest, ADaemonThatClosesItsEndEndsTheChildWithCode0) {
  channel_->shut_down();
  EXPECT_EQ(exit_status(), 0);
}

TEST_F(ChildServerTest, ManyCallsSentBackToBackAreAllAnswered) {
  constexpr std::uint64_t kCalls = 300;
  send_create(1);
  send_create(2);
  for (std::uint64_t i = 0; i < kCalls; ++i) send_list_tests(1000 + i, 1 + i % 2);
  std::set<std::uint64_t> answered;
  int created = 0;
  while (answered.size() < kCalls && !HasFailure()) {
    Frame f = next();
    if (f.kind == FrameKind::created) {
      ++created;
      EXPECT_TRUE(instance_info_of(f).ok);
      continue;
    }
    ASSERT_EQ(f.kind, FrameKind::result);
    const CallResult r = call_result_of(f);
    EXPECT_EQ(r.status, CallStatus::ok) << "call " << f.id << ": " << r.detail;
    EXPECT_TRUE(answered.insert(f.id).second) << "call " << f.id << " answered twice";
  }
  EXPECT_EQ(created, 2);
  EXPECT_EQ(answered.size(), kCalls);
  EXPECT_EQ(*answered.begin(), 1000U);
  EXPECT_EQ(*answered.rbegin(), 1000 + kCalls - 1);
}

}  // namespace
}  // namespace ttb::plugins::isolation
