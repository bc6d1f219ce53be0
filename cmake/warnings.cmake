# Project-wide warning flags, applied per target with exhibit_warnings(target).
function(exhibit_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wconversion -Wno-sign-conversion)
  if(EXHIBIT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
