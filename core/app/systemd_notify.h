#pragma once
// Readiness and stopping notifications for systemd's Type=notify (a no-op outside systemd).

namespace ttb::app {

void notify_ready();
void notify_reloading();
void notify_stopping();

}  // namespace ttb::app
