#include "store/result.h"

namespace ttb::store {

const char* to_string(Error::Code code) {
  switch (code) {
    case Error::Code::unavailable:
      return "unavailable";
    case Error::Code::conflict:
      return "conflict";
    case Error::Code::not_found:
      return "not_found";
    case Error::Code::invalid:
      return "invalid";
    case Error::Code::closed:
      return "closed";
    case Error::Code::fenced:
      return "fenced";
  }
  return "unknown";
}

}  // namespace ttb::store
