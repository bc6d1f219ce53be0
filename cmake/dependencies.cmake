# Every dependency comes from Debian's packages (tools/install-deps).
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBEWF REQUIRED IMPORTED_TARGET libewf)
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(ISAL REQUIRED IMPORTED_TARGET libisal)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
find_package(ZLIB REQUIRED)
find_package(BZip2 REQUIRED)  # bzip2 chunks of EWF2 (Ex01) images
pkg_check_modules(LIBNBD REQUIRED IMPORTED_TARGET libnbd)  # remote sources over NBD (io/nbd_source)
