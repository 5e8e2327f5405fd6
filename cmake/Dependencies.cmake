# Every third-party library comes from Debian's packages (scripts/setup installs them).
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem)
find_package(yaml-cpp REQUIRED)
find_package(PostgreSQL REQUIRED)
# Debian's Poco 1.11 links Poco::DataPostgreSQL to PostgreSQL::client, which nothing defines
# (docs/building.md, "Poco DataPostgreSQL and PostgreSQL::client").
if(NOT TARGET PostgreSQL::client)
  add_library(PostgreSQL::client INTERFACE IMPORTED)
  target_link_libraries(PostgreSQL::client INTERFACE PostgreSQL::PostgreSQL)
endif()
find_package(Poco REQUIRED COMPONENTS Foundation Net NetSSL Util JSON Crypto JWT)
find_package(OpenSSL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json REQUIRED)
# Parses the webhook bodies on the request path (core/teamtailor/webhook.cc).
find_package(simdjson REQUIRED)
find_package(CLI11 REQUIRED)
find_package(prometheus-cpp REQUIRED)
find_package(PkgConfig REQUIRED)
# The seccomp allow-list of plugin processes (core/plugins/isolation/confinement.cc).
pkg_check_modules(SECCOMP REQUIRED IMPORTED_TARGET libseccomp)
# jemalloc serves ttbridged's heap in the builds that ship (docs/performance.md, "jemalloc for
# the daemon"). Not under a sanitizer, which brings an allocator of its own.
if(TTB_SANITIZE STREQUAL "")
  set(_ttb_jemalloc_default ON)
else()
  set(_ttb_jemalloc_default OFF)
endif()
option(TTB_JEMALLOC "Link ttbridged with jemalloc (libjemalloc-dev)" ${_ttb_jemalloc_default})
if(TTB_JEMALLOC)
  if(NOT TTB_SANITIZE STREQUAL "")
    message(FATAL_ERROR "TTB_JEMALLOC and TTB_SANITIZE=${TTB_SANITIZE} exclude each other: the "
                        "sanitizer replaces malloc")
  endif()
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()
