#pragma once
// Internal: the thread that fires plugin call deadlines. Plugin code runs on the host's own
// threads and may block them (a plugin doing blocking I/O on its strand); a deadline that had to
// wait for one of those threads would never fire while they all hang. So every call's timer
// lives on this io_context, run by one thread that runs nothing else: a timeout only ends the
// call's future and logs, and never enters plugin code. Every timer of this io_context must be
// destroyed before it: PluginHost::Core declares its CallTimers before the plugin io_context, so
// the instances and their calls are gone first.

#include <optional>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace ttb::plugins {

class CallTimers {
 public:
  CallTimers();
  ~CallTimers();  // stop()
  CallTimers(const CallTimers&) = delete;
  CallTimers& operator=(const CallTimers&) = delete;

  boost::asio::io_context& io() { return io_; }
  // Stops the thread; timers still waiting never fire. Idempotent. The host calls it once every
  // pending call has ended, from its own thread: a timer's handler may hold the last reference
  // to an instance, and so to this object, and must not end up joining its own thread.
  void stop();

 private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
};

}  // namespace ttb::plugins
