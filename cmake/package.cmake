# The Debian packages (tools/package runs cpack -G DEB): exhibit (the program, its manual pages,
# bash completion and documentation) and exhibit-dev (the static library, headers and CMake
# package), with CPack's DEB generator: its dependencies are the shared libraries the binary
# links, found by dpkg-shlibdeps (docs/DESIGN.md, "Debian packages with CPack").
# cpack installs what the build holds and builds nothing (its "preinstall" would build all):
# tools/package builds first, or packages a build as it is (--as-built).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME exhibit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "exhibit developers <maintainers@exhibit.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime development)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://exhibit.invalid/")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME exhibit)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION admin)
# exhibit serve runs nbdkit (and acquire nbds:// needs only libnbd, found by shlibdeps).
set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS "nbdkit")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "forensic imaging to verifiable E01 images
exhibit images block devices and files read-only into E01 (EnCase), raw or
seekable zstd images, with MD5, SHA-1 and SHA-256 digests, piecewise
hashes and a signed record beside them, surviving bad sectors, pulled
cables and full disks. exhibit verify proves or disproves an image's
integrity (its own or another tool's, E01 and Ex01) naming the region that
differs, one image or thousands at a time.")

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME exhibit-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_ARCHITECTURE amd64)
# A static library: a program linking it links what exhibit links (the CMake package finds them).
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
    "libewf-dev, libssl-dev, libzstd-dev, libisal-dev, libnbd-dev, zlib1g-dev, libbz2-dev, pkg-config")
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION "forensic imaging library of exhibit (development files)
The library behind exhibit: acquisition, verification, export and reading of
E01, Ex01, raw and seekable zstd images, as a static library with its C++
headers and a CMake package (find_package(exhibit), target exhibit::exhibit).")

# The Debian changelog, compressed as policy asks, for /usr/share/doc/exhibit.
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/packaging/changelog.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/packaging
  COMMAND sh -c "gzip -9n -c '${PROJECT_SOURCE_DIR}/packaging/changelog' > '${PROJECT_BINARY_DIR}/packaging/changelog.gz'"
  DEPENDS ${PROJECT_SOURCE_DIR}/packaging/changelog VERBATIM)
add_custom_target(exhibit_changelog ALL DEPENDS ${PROJECT_BINARY_DIR}/packaging/changelog.gz)
include(CPack)
