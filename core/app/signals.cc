#include "app/signals.h"

#include <pthread.h>
#include <signal.h>

#include <cerrno>

namespace ttb::app {
namespace {

sigset_t daemon_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void block_daemon_signals() {
  sigset_t set = daemon_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A peer closing a connection mid-write must not kill the process.
  signal(SIGPIPE, SIG_IGN);
}

SignalEvent wait_for_signal() {
  sigset_t set = daemon_signals();
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGHUP) return SignalEvent::reload;
    return SignalEvent::shutdown;
  }
}

}  // namespace ttb::app
