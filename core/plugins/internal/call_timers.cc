#include "plugins/internal/call_timers.h"

namespace ttb::plugins {

CallTimers::CallTimers() : work_(io_.get_executor()), thread_([this] { io_.run(); }) {}

CallTimers::~CallTimers() {
  stop();
}

void CallTimers::stop() {
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace ttb::plugins
