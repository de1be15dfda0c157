// The query string of a catalogue search (OGC API - Records items): q, bbox,
// datetime, lists, filter, sortby, facets, run against a small GeoPackage
// catalogue. Client errors (4xx OgcError) may come out; a server error (an SQL or
// FTS5 syntax error from client text) is a bug and aborts.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string_view>

#include "api/records/records_request.hpp"
#include "core/error.hpp"
#include "http/request.hpp"
#include "store/gpkg/gpkg_catalog.hpp"

namespace {

struct Discard : amis::store::RecordSink {
  void record(const amis::catalog::Record&) override {}
};

amis::store::gpkg::GpkgCatalog& catalogue() {
  static const std::string path =
      (std::filesystem::temp_directory_path() / ("amis-records-fuzz-" + std::to_string(::getpid()) + ".gpkg")).string();
  static const auto catalog = [] {
    std::filesystem::remove(path);
    auto c = std::make_unique<amis::store::gpkg::GpkgCatalog>(path);
    amis::catalog::Record r;
    r.id = "gold";
    r.title = "Gold deposits of O'Brien";
    r.abstract = "Mining and mined";
    r.keywords = {{{"gold", "mining"}, "", "", ""}};
    r.extent = amis::core::Envelope{92, 10, 101, 28};
    r.temporal_extent = amis::core::TimeInterval{"2001-01-01", std::nullopt};
    c->put(r);
    r.id = "coal";
    r.title = "Coal";
    r.extent.reset();
    c->put(r);
    return c;
  }();
  return *catalog;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto query = amis::http::parse_query(text);
  if (!query) return 0;
  amis::http::Request request;
  request.query = std::move(*query);
  try {
    auto q = amis::api::records::parse_records_request(request);
    Discard sink;
    catalogue().search(q, sink);
  } catch (const amis::core::OgcError& e) {
    if (e.status() >= 500) std::abort();
  }
  return 0;
}
