#pragma once
// The demo's TestGorilla walk: a vendor without webhooks. Starts its own PollingStack (a second
// ttbridged that polls every second), sends one order and shows the engine finding the result by
// polling alone. Prints its steps numbered on from `step_number`; true when the card completed.

namespace ttb::demo {

bool walk_testgorilla(int& step_number);

}  // namespace ttb::demo
