#pragma once
// The records AMIS keeps of its own resources: one per collection, raster layer
// and stored style, made from their metadata, with distribution links to every
// service and download format the server offers. Links are paths ("/wms?...")
// that encoders resolve against the request's base URL, so a record stays right
// behind any proxy or host name.
//
// The store counts every change to collections, styles and raster layers
// (CatalogStore::sources_version, by triggers, whichever process writes), so the
// one place that keeps the records current is RecordKeeper::ensure_current(): at
// serve start and before every catalogue read. An import, an approval, an upload,
// a style or raster added by the CLI while the server runs: all are seen there.
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/record.hpp"
#include "store/catalog_store.hpp"
#include "store/store.hpp"

namespace amis::catalog {

// A download format the server offers for a collection's items (f=).
struct OfferedDownload {
  std::string f;           // the f= value: "csv", "gpkg", ...
  std::string media_type;  // "text/csv", ...
  std::string format;      // a name for people and the format facet: "CSV", "GeoPackage"
};

// A collection or WMS layer of a national node published here (issue 16) and read
// through to the node at each request: its record names the node it comes from.
struct CascadedSource {
  core::Collection collection;  // id, title, description, keywords, extent (CRS84)
  bool map_only = false;        // a WMS layer: drawn by its node, no features here
  std::string node;             // the registered node's name
  std::string country;          // ISO 3166 alpha-3 of the node
  std::string source_id;        // the collection, feature type or layer at the node
  std::string published;        // RFC 3339 UTC
};

struct DerivationContext {
  std::string publisher;  // the service's title: the publisher of every derived record
  std::vector<OfferedDownload> downloads;
  // Whether a collection is readable by everyone; others get no record (a
  // restricted collection does not exist for the public catalogue).
  std::function<bool(std::string_view collection)> is_public = [](std::string_view) { return true; };
  // The cascaded collections and layers (none when unset).
  std::function<std::vector<CascadedSource>()> cascaded;
};

std::string collection_record_id(std::string_view collection);  // "amis:collection:<id>"
std::string raster_record_id(std::string_view raster);          // "amis:raster:<id>"
std::string style_record_id(std::string_view collection, std::string_view style);

Record collection_record(const core::Collection& collection, const DerivationContext& context);
Record raster_record(const store::RasterLayer& raster, const DerivationContext& context);
Record style_record(const store::StoredStyle& style, const core::Collection& collection,
                    const DerivationContext& context);

// A cascaded collection's record: as a collection's (a WMS layer's: its map services
// only), with the node as its provenance and lineage.
Record cascaded_record(const CascadedSource& source, const DerivationContext& context);

// Every derived record of the store's current content, and of the cascaded sources.
std::vector<Record> derive_records(store::Store& store, const DerivationContext& context);

class RecordKeeper {
 public:
  RecordKeeper(store::Store& store, store::CatalogStore& catalog, DerivationContext context)
      : store_(store), catalog_(catalog), context_(std::move(context)) {}

  // Remakes the derived records when the store changed since they were made;
  // returns how many records changed. Cheap when nothing changed (two reads).
  std::int64_t ensure_current();
  // Remakes them whatever the versions say (serve start: a store written by an
  // older amis has no version triggers yet).
  std::int64_t refresh();

 private:
  // What the cascaded sources were when the records were last made: they are kept
  // by the nodes' tables, which count no sources_version.
  std::string cascaded_signature();

  store::Store& store_;
  store::CatalogStore& catalog_;
  DerivationContext context_;
  std::mutex mutex_;  // one refresh at a time
  std::string cascaded_seen_;
};

}  // namespace amis::catalog
