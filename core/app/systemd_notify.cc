#include "app/systemd_notify.h"

#include <systemd/sd-daemon.h>

namespace ttb::app {

void notify_ready() {
  sd_notify(0, "READY=1\nSTATUS=serving");
}
void notify_reloading() {
  sd_notify(0, "RELOADING=1\nSTATUS=reloading tenants");
}
void notify_stopping() {
  sd_notify(0, "STOPPING=1\nSTATUS=draining");
}

}  // namespace ttb::app
