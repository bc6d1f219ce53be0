# The hardening Debian builds its packages with (dpkg-buildflags: hardening=+all less PIE, which
# GCC 12 on Debian gives by default): a stack protector, glibc's checked string and memory
# functions, and relocations read-only before main. Not in sanitizer builds: _FORTIFY_SOURCE's
# checked functions hide accesses from AddressSanitizer, and it warns without optimisation.
if(EXHIBIT_SANITIZE STREQUAL "" AND NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
  add_compile_options(-fstack-protector-strong -fstack-clash-protection -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2)
  add_link_options(-Wl,-z,relro -Wl,-z,now)
endif()
