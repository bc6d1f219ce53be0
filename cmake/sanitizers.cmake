# -DEXHIBIT_SANITIZE=thread|address: the whole build (library, CLI, tests) instrumented. -g1: line
# tables, all a sanitizer report needs to name functions, files and lines (full -g costs build time).
if(EXHIBIT_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -g1 -O1)
  add_link_options(-fsanitize=thread)
elseif(EXHIBIT_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -g1 -O1)
  add_link_options(-fsanitize=address,undefined)
elseif(NOT EXHIBIT_SANITIZE STREQUAL "")
  message(FATAL_ERROR "EXHIBIT_SANITIZE must be thread or address")
endif()
# -DEXHIBIT_FUZZ=ON (clang): the whole build gets libFuzzer's coverage hooks, so that the fuzz
# targets are guided by what their input reaches in the library, not in their own file only.
if(EXHIBIT_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
  add_link_options(-fsanitize=fuzzer-no-link)
endif()
