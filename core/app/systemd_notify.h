#pragma once
// Readiness and stopping notifications for systemd's Type=notify: one datagram each to the
// socket named by $NOTIFY_SOCKET (a path, or "@name" in the abstract namespace), which is the
// whole of sd_notify(3)'s protocol. A no-op outside systemd, or when the datagram cannot be sent:
// the daemon runs the same either way. Written out rather than linked: libsystemd brings seven
// libraries into the daemon (libgcrypt, liblzma, libzstd, liblz4, ...), about a megabyte of
// mapped pages, for these three calls.

namespace ttb::app {

void notify_ready();
void notify_reloading();
void notify_stopping();

}  // namespace ttb::app
