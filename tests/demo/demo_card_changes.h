#pragma once
// The demo's walk of a card after it was first written: the recruiter presses the card's "Cancel
// order" button (Teamtailor posts the original partner event to the button's actions/...
// endpoint), and a vendor re-scores a completed test (HackerRank), which amends the card. Prints
// each card before and after, numbering steps on from `step_number`; true when both changed.

#include "loopback_stack.h"

namespace ttb::demo {

bool walk_card_changes(LoopbackStack& stack, int& step_number);

}  // namespace ttb::demo
