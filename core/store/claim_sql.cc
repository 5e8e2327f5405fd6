#include "store/claim_sql.h"

namespace ttb::store {

const char* claim_kind_condition(ClaimRequest::Kinds kinds) {
  switch (kinds) {
    case ClaimRequest::Kinds::pushes:
      return " AND j.kind = 'push'";
    case ClaimRequest::Kinds::vendor_work:
      return " AND j.kind <> 'push'";
    case ClaimRequest::Kinds::all:
      return "";
  }
  return "";
}

}  // namespace ttb::store
