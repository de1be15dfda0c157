# Every dependency comes from a Debian 12 package (see README "Dependencies").
find_package(GDAL CONFIG REQUIRED)           # libgdal-dev: OGR readers/writers, OSR
find_package(PROJ CONFIG REQUIRED)           # libproj-dev: CRS transformations (Part 2)
find_package(GEOS CONFIG REQUIRED)           # libgeos-dev: exact spatial predicates
find_package(SQLite3 REQUIRED)               # libsqlite3-dev: the GeoPackage store
find_package(Boost 1.74 REQUIRED)            # libboost-dev: Beast + Asio (header-only)
find_package(nlohmann_json 3.11 REQUIRED)    # nlohmann-json3-dev: small JSON documents
find_package(simdjson 3.0 CONFIG REQUIRED)   # libsimdjson-dev: large JSON pages a harvest reads
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
# libmapnik-dev: map rendering (render/). Debian ships mapnik-config, no CMake package.
find_library(MAPNIK_LIBRARY mapnik REQUIRED)
find_path(MAPNIK_INCLUDE_DIR mapnik/map.hpp REQUIRED)
find_package(Freetype REQUIRED)
add_library(Mapnik::mapnik INTERFACE IMPORTED)
target_link_libraries(Mapnik::mapnik INTERFACE ${MAPNIK_LIBRARY})
# The definitions mapnik-config --cflags gives: they change Mapnik's types (BIGINT).
set(MAPNIK_DEFINITIONS MAPNIK_MEMORY_MAPPED_FILE MAPNIK_HAS_DLCFN BIGINT HAVE_JPEG MAPNIK_USE_PROJ HAVE_PNG
    HAVE_WEBP HAVE_TIFF MAPNIK_THREADSAFE GRID_RENDERER HAVE_CAIRO BOOST_SPIRIT_NO_PREDEFINED_TERMINALS=1
    BOOST_PHOENIX_NO_PREDEFINED_TERMINALS=1 BOOST_SPIRIT_USE_PHOENIX_V3=1)
set(MAPNIK_SYSTEM_INCLUDES ${MAPNIK_INCLUDE_DIR}/mapnik/agg ${FREETYPE_INCLUDE_DIRS} /usr/include/cairo
    /usr/include/glib-2.0 /usr/lib/x86_64-linux-gnu/glib-2.0/include /usr/include/pixman-1 /usr/include/libpng16)
# libsodium-dev: argon2id password hashes, random tokens, SHA-256 of tokens.
find_library(SODIUM_LIBRARY sodium REQUIRED)
find_path(SODIUM_INCLUDE_DIR sodium.h REQUIRED)
add_library(Sodium::sodium INTERFACE IMPORTED)
target_link_libraries(Sodium::sodium INTERFACE ${SODIUM_LIBRARY})
target_include_directories(Sodium::sodium INTERFACE ${SODIUM_INCLUDE_DIR})
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)               # libssl-dev: https to national nodes (federation)
find_package(ZLIB REQUIRED)                  # zlib1g-dev: gzip and deflate of textual answers
# libpq-dev: the PostgreSQL/PostGIS store (store/postgis/). Debian's libpq ships a
# pkg-config file; FindPostgreSQL would also look for the server's headers.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
# The usage statistics' country database (a MaxMind DB file): Debian's libmaxminddb-dev.
pkg_check_modules(MAXMINDDB REQUIRED IMPORTED_TARGET libmaxminddb)
find_package(LibXml2 REQUIRED)               # libxml2-dev: W3C XML Schema validation of ISO 19139 documents
pkg_check_modules(YAML REQUIRED IMPORTED_TARGET yaml-0.1)  # libyaml-dev: work plans in YAML (workplan/plan_yaml.cpp)
pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo cairo-pdf)  # libpango1.0-dev, libcairo2-dev: PDF reports (report/pdf_report.cpp)
