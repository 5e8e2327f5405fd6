// FrameChannel over a real socketpair: a sender never waits for a peer that stopped reading,
// frames stay whole and in order through the backlog, and a peer that leaves too much unread
// is cut off.
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "plugins/isolation/channel.h"

namespace ttb::plugins::isolation {
namespace {

using namespace std::chrono_literals;

struct Pair {
  Pair() {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
      throw std::runtime_error("socketpair");
    ours = sv[0];
    peers = sv[1];
  }
  int ours = -1;
  int peers = -1;
};

// Threads of this process named `name` (/proc/self/task/<tid>/comm).
int threads_named(const std::string& name) {
  int n = 0;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string line;
    if (std::getline(comm, line) && line == name) ++n;
  }
  return n;
}

Frame numbered(std::uint64_t id, std::size_t payload_bytes) {
  return Frame{FrameKind::log, id, {std::string(payload_bytes, static_cast<char>('a' + id % 26))}};
}

// Runs `work` on a thread and fails the test, instead of hanging it, when it has not returned
// after `limit`: a send that waits for a peer that never reads never returns. Then the peer's
// socket is shut down, which ends such a wait, and the thread is joined.
bool returns_within(std::chrono::seconds limit, int peer_fd, std::function<void()> work) {
  auto done = std::async(std::launch::async, std::move(work));
  if (done.wait_for(limit) != std::future_status::ready) {
    ::shutdown(peer_fd, SHUT_RDWR);
    done.wait();
    return false;
  }
  done.get();
  return true;
}

TEST(FrameChannel, ASenderDoesNotWaitForAPeerThatStoppedReading) {
  Pair pair;
  FrameChannel ours(pair.ours);
  // 8 MiB: many times what the socket holds.
  constexpr std::uint64_t kFrames = 64;
  constexpr std::size_t kBytes = 128 * 1024;
  std::vector<bool> sent;
  // The peer reads nothing until every send has returned.
  EXPECT_TRUE(returns_within(20s, pair.peers, [&] {
    for (std::uint64_t i = 0; i < kFrames; ++i) sent.push_back(ours.send(numbered(i, kBytes)));
  }));
  ASSERT_EQ(sent.size(), kFrames);
  EXPECT_EQ(std::count(sent.begin(), sent.end(), false), 0);

  FrameChannel peer(pair.peers);
  for (std::uint64_t i = 0; i < kFrames; ++i) {
    auto frame = peer.receive();
    ASSERT_TRUE(frame) << peer.error();
    EXPECT_EQ(frame->id, i);
    ASSERT_EQ(frame->fields.size(), 1u);
    EXPECT_EQ(frame->fields[0], numbered(i, kBytes).fields[0]);
  }
  // Drained, the channel keeps no thread: an idle daemon has none per child.
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (threads_named("ttb-frame-out") > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  EXPECT_EQ(threads_named("ttb-frame-out"), 0);
  EXPECT_TRUE(ours.send(numbered(kFrames, 10)));  // and the next frame goes straight out
  auto last = peer.receive();
  ASSERT_TRUE(last) << peer.error();
  EXPECT_EQ(last->id, kFrames);
}

TEST(FrameChannel, FramesOfManySendersStayWholeAndInTheirOrder) {
  Pair pair;
  FrameChannel ours(pair.ours);
  constexpr int kSenders = 4;
  constexpr std::uint64_t kEach = 200;
  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&ours, s] {
      for (std::uint64_t i = 0; i < kEach; ++i) {
        // Sizes vary so that some frames go straight out and some wait in the backlog.
        const std::size_t bytes = (i % 7) * 9000 + 10;
        const std::uint64_t id = static_cast<std::uint64_t>(s) * kEach + i;
        ours.send(Frame{FrameKind::log, id, {std::string(bytes, 'x')}});
      }
    });
  }
  FrameChannel peer(pair.peers);
  std::vector<std::uint64_t> next(kSenders, 0);
  for (std::uint64_t n = 0; n < kSenders * kEach; ++n) {
    auto frame = peer.receive();
    ASSERT_TRUE(frame) << peer.error();
    const auto s = frame->id / kEach;
    const auto i = frame->id % kEach;
    ASSERT_LT(s, static_cast<std::uint64_t>(kSenders));
    EXPECT_EQ(i, next[s]) << "sender " << s;
    next[s] = i + 1;
    ASSERT_EQ(frame->fields.size(), 1u);
    EXPECT_EQ(frame->fields[0].size(), (i % 7) * 9000 + 10);
  }
  for (auto& t : senders) t.join();
}

TEST(FrameChannel, APeerThatLeavesTooMuchUnreadIsCutOff) {
  Pair pair;
  constexpr std::size_t kLimit = 1024 * 1024;
  FrameChannel ours(pair.ours, kLimit);
  std::uint64_t accepted = 0;
  bool refused = false;
  EXPECT_TRUE(returns_within(20s, pair.peers, [&] {
    for (std::uint64_t i = 0; i < 1000 && !refused; ++i) {
      if (ours.send(numbered(i, 64 * 1024)))
        ++accepted;
      else
        refused = true;
    }
  }));
  ASSERT_TRUE(refused) << "every send was taken, " << accepted << " frames";
  EXPECT_FALSE(ours.send(numbered(0, 10)));  // and every later one is refused

  // Our reader learns why the stream ended; the peer reads what the socket held, then the end.
  EXPECT_FALSE(ours.receive());
  EXPECT_NE(ours.error().find("unread"), std::string::npos) << ours.error();
  FrameChannel peer(pair.peers);
  std::uint64_t read = 0;
  while (auto frame = peer.receive()) {
    EXPECT_EQ(frame->id, read);
    ++read;
  }
  EXPECT_LT(read, accepted);  // the backlog was dropped
}

// A send the kernel refuses (here: the peer stopped reading its end) leaves a frame half sent,
// and so the stream broken: our reader ends too, instead of waiting on a peer that still looks
// alive until its calls time out. A peer gone (EPIPE) reads as the end of the stream; another
// errno would be named.
TEST(FrameChannel, AFailedSendEndsTheReaderToo) {
  Pair pair;
  FrameChannel ours(pair.ours);
  ASSERT_EQ(::shutdown(pair.peers, SHUT_RD), 0);
  EXPECT_FALSE(ours.send(numbered(1, 10)));
  bool ended = false;
  EXPECT_TRUE(returns_within(5s, pair.peers, [&] { ended = !ours.receive(); }))
      << "the reader waited on";
  EXPECT_TRUE(ended);
  EXPECT_EQ(ours.error(), FrameChannel::kEndOfStream);
  ::close(pair.peers);
}

// A peer that reads, but slower than it is sent to: the backlog's thread takes what waits and
// writes it as the peer reads, while new frames wait behind it. Both count against the limit:
// before they did, the backlog refilled to the limit while its thread held a limit's worth.
TEST(FrameChannel, APeerThatReadsSlowlyNeverHasMoreThanTheLimitWaiting) {
  Pair pair;
  constexpr std::size_t kLimit = 1024 * 1024;
  constexpr std::size_t kFrame = 64 * 1024;
  FrameChannel ours(pair.ours, kLimit);
  // The peer reads three quarters of what was sent, whatever the threads' speeds: 16 KiB more is
  // left unread with each frame, until the limit cuts the peer off.
  std::atomic<std::size_t> sent{0};
  std::atomic<bool> done{false};
  std::thread reader([&] {
    std::vector<char> buffer(kFrame);
    std::size_t read = 0;
    while (!done) {
      if (read >= sent.load() / 4 * 3) {
        std::this_thread::sleep_for(100us);
        continue;
      }
      const ssize_t n = ::recv(pair.peers, buffer.data(), buffer.size(), 0);
      if (n <= 0) return;  // cut off
      read += static_cast<std::size_t>(n);
    }
  });
  std::size_t most = 0;
  bool refused = false;
  for (std::uint64_t i = 0; i < 1000 && !refused; ++i) {
    refused = !ours.send(numbered(i, kFrame));
    sent += kFrame;
    most = std::max(most, ours.unwritten_bytes());
    std::this_thread::sleep_for(200us);
  }
  done = true;
  ::shutdown(pair.peers, SHUT_RDWR);  // a recv that waits returns
  reader.join();
  EXPECT_TRUE(refused) << most << " bytes waited at most";
  EXPECT_LE(most, kLimit);
  EXPECT_GT(most, kLimit / 2) << "the backlog filled before it was cut off";
}

TEST(FrameChannel, GoesAwayWhileItsBacklogWaitsForThePeer) {
  Pair pair;
  FrameChannel peer(pair.peers);
  EXPECT_TRUE(returns_within(20s, pair.peers, [&] {
    FrameChannel ours(pair.ours);
    for (std::uint64_t i = 0; i < 32; ++i) ASSERT_TRUE(ours.send(numbered(i, 128 * 1024)));
  }));
  // The peer gets whole frames, then the end of the stream.
  std::uint64_t read = 0;
  while (auto frame = peer.receive()) EXPECT_EQ(frame->id, read++);
  EXPECT_NE(peer.error().find("end of stream"), std::string::npos) << peer.error();
  EXPECT_LT(read, 32u);
}

}  // namespace
}  // namespace ttb::plugins::isolation
