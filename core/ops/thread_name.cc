#include "ops/thread_name.h"

#include <pthread.h>

#include <algorithm>

namespace ttb::ops {

void name_this_thread(std::string_view name) noexcept {
  char cut[16] = {};  // the kernel's TASK_COMM_LEN, with its terminating zero
  std::copy_n(name.data(), std::min(name.size(), sizeof cut - 1), cut);
  (void)pthread_setname_np(pthread_self(), cut);
}

void name_pool_thread(std::string_view name) noexcept {
  thread_local bool named = false;
  if (named) return;
  named = true;
  name_this_thread(name);
}

}  // namespace ttb::ops
