# Every dependency comes from a Debian 12 package (see README "Dependencies").
find_package(GDAL CONFIG REQUIRED)           # libgdal-dev: OGR readers/writers, OSR
find_package(PROJ CONFIG REQUIRED)           # libproj-dev: CRS transformations (Part 2)
find_package(GEOS CONFIG REQUIRED)           # libgeos-dev: exact spatial predicates
find_package(SQLite3 REQUIRED)               # libsqlite3-dev: the GeoPackage store
find_package(Boost 1.74 REQUIRED)            # libboost-dev: Beast + Asio (header-only)
find_package(nlohmann_json 3.11 REQUIRED)    # nlohmann-json3-dev: small JSON documents
find_package(tomlplusplus REQUIRED)          # libtomlplusplus-dev: amis.toml
find_package(spdlog REQUIRED)                # libspdlog-dev: logs
find_package(CLI11 CONFIG QUIET)             # libcli11-dev: command line
if(NOT CLI11_FOUND)
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE ${CLI11_INCLUDE_DIR})
endif()
find_package(ICU REQUIRED COMPONENTS uc i18n)  # libicu-dev: CASEI/ACCENTI Unicode folding
find_package(pugixml REQUIRED)               # libpugixml-dev: WFS/FES XML requests (no DTDs)
find_package(Threads REQUIRED)
