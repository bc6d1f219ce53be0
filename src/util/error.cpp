#include <cstring>

#include "exhibit/error.hpp"

namespace exhibit {

Error Error::from_errno(ErrorCode code, const std::string& context, int errnum) {
  return Error(code, context + ": " + std::strerror(errnum), errnum);
}

}  // namespace exhibit
