#pragma once
// Signals as events: SIGTERM/SIGINT ask for shutdown, SIGHUP for a tenant reload. They are blocked
// in every thread and received synchronously by the main thread, so no handler runs in a signal
// context.

namespace ttb::app {

enum class SignalEvent { shutdown, reload };

// Call before any thread is started so that every thread inherits the mask.
void block_daemon_signals();

// Blocks until SIGTERM, SIGINT or SIGHUP arrives.
SignalEvent wait_for_signal();

}  // namespace ttb::app
