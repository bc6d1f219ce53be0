# `cmake --install build --prefix P`: bin/exhibit, lib/libexhibit.a, include/exhibit/*.hpp and
# the CMake package lib/cmake/exhibit (find_package(exhibit) gives exhibit::exhibit).
include(CMakePackageConfigHelpers)
set(EXHIBIT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/exhibit)

install(TARGETS exhibit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS exhibit_core EXPORT exhibitTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/exhibit DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp")

# An instrumented library needs its sanitizer runtime in every program that links it.
if(EXHIBIT_SANITIZE STREQUAL "thread")
  target_link_options(exhibit_core INTERFACE $<INSTALL_INTERFACE:-fsanitize=thread>)
elseif(EXHIBIT_SANITIZE STREQUAL "address")
  target_link_options(exhibit_core INTERFACE $<INSTALL_INTERFACE:-fsanitize=address,undefined>)
endif()

install(EXPORT exhibitTargets NAMESPACE exhibit:: DESTINATION ${EXHIBIT_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/exhibitConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/exhibitConfig.cmake INSTALL_DESTINATION ${EXHIBIT_CMAKE_DIR})
# 0.x: the API may change from one minor version to the next.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/exhibitConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/exhibitConfig.cmake ${PROJECT_BINARY_DIR}/exhibitConfigVersion.cmake
        DESTINATION ${EXHIBIT_CMAKE_DIR})
