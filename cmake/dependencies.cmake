# Every dependency comes from Debian's packages (tools/install-deps).
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBEWF REQUIRED IMPORTED_TARGET libewf)
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(ISAL REQUIRED IMPORTED_TARGET libisal)
find_package(ZLIB REQUIRED)
