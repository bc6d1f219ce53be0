# `cmake --install build --prefix P`: bin/exhibit, its manual pages, bash completion and
# documentation (component runtime: the exhibit package), and lib/libexhibit.a, include/exhibit/*.hpp
# and the CMake package lib/cmake/exhibit (find_package(exhibit) gives exhibit::exhibit;
# component development: exhibit-dev). tools/package makes the two Debian packages (package.cmake).
include(CMakePackageConfigHelpers)
set(EXHIBIT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/exhibit)

install(TARGETS exhibit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(DIRECTORY ${PROJECT_BINARY_DIR}/man/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime
        FILES_MATCHING PATTERN "*.1.gz")
install(FILES ${PROJECT_BINARY_DIR}/completion/exhibit DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/court-demo.md
              ${PROJECT_SOURCE_DIR}/docs/FORMATS.md ${PROJECT_SOURCE_DIR}/docs/output.schema.json
              ${PROJECT_SOURCE_DIR}/packaging/copyright ${PROJECT_BINARY_DIR}/packaging/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright ${PROJECT_BINARY_DIR}/packaging/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/exhibit-dev COMPONENT development)
install(TARGETS exhibit_core EXPORT exhibitTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/exhibit DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT development FILES_MATCHING PATTERN "*.hpp")

# An instrumented library needs its sanitizer runtime in every program that links it.
if(EXHIBIT_SANITIZE STREQUAL "thread")
  target_link_options(exhibit_core INTERFACE $<INSTALL_INTERFACE:-fsanitize=thread>)
elseif(EXHIBIT_SANITIZE STREQUAL "address")
  target_link_options(exhibit_core INTERFACE $<INSTALL_INTERFACE:-fsanitize=address,undefined>)
endif()

install(EXPORT exhibitTargets NAMESPACE exhibit:: DESTINATION ${EXHIBIT_CMAKE_DIR} COMPONENT development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/exhibitConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/exhibitConfig.cmake INSTALL_DESTINATION ${EXHIBIT_CMAKE_DIR})
# 0.x: the API may change from one minor version to the next.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/exhibitConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/exhibitConfig.cmake ${PROJECT_BINARY_DIR}/exhibitConfigVersion.cmake
        DESTINATION ${EXHIBIT_CMAKE_DIR} COMPONENT development)
