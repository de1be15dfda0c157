#pragma once
// The interface between the protocols and the data. api/ sees only this and the
// core types; each backend (gpkg/ now, postgis/ later) implements it.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/collection.hpp"
#include "core/feature.hpp"
#include "core/feature_query.hpp"
#include "core/feature_sink.hpp"

namespace amis::store {

// Writes the features of a new version of a collection. Nothing is visible to
// readers until commit(); destroying the writer without commit() leaves the store
// exactly as it was.
class CollectionWriter {
 public:
  virtual ~CollectionWriter() = default;
  // `wkb` is ISO WKB in CRS84 (empty for no geometry); `values` follow the
  // properties of the collection given to Store::replace_collection.
  virtual void add(std::span<const std::uint8_t> wkb, std::span<const core::Value> values) = 0;
  // Adds a feature under the id it has in another store (`amis store copy`), so
  // that its history and links still name it. Ids must rise from call to call.
  virtual void add_with_id(std::int64_t id, std::span<const std::uint8_t> wkb,
                           std::span<const core::Value> values) = 0;
  // Publishes the collection: metadata, extent and feature count are updated.
  // @throws ServerError when the store cannot write.
  virtual void commit() = 0;
};

// A named style of a collection, kept as the SLD document it was given in.
struct StoredStyle {
  std::string collection;
  std::string name;
  std::string title;
  std::string abstract;
  std::string sld;
  std::string updated;  // RFC 3339, set by the store
};

// One band of a raster: what its values mean (name, unit, description), how
// they are stored (a GDAL data type name: Byte, Int16, Float32, ...), the value
// that marks no data and the band's range when the raster was added.
struct RasterBand {
  std::string name;
  std::string unit;  // UCUM where known ("m", "nT"); empty when unknown
  std::string description;
  std::string data_type = "Float32";
  std::optional<double> nodata;
  double min = 0;
  double max = 0;
};

// A raster layer (a coverage): a Cloud Optimized GeoTIFF in the store's folder.
// WMS draws its first band with a colour ramp from `min` to `max` (that band's
// range when it was added); OGC API - Coverages and WCS serve all its bands.
struct RasterLayer {
  std::string id;
  std::string title;
  std::string description;
  std::string attribution;
  std::string licence;
  std::string path;  // absolute when read from the store
  double min = 0;
  double max = 1;
  core::Envelope extent;  // CRS84
  std::vector<RasterBand> bands;  // in the file's order; empty for a store from before bands were kept
  // The member state (ISO 3166 alpha-3) whose editors replace its grid; empty:
  // a regional coverage, replaced by reviewers and administrators only.
  std::string country;
};

// A group-by over a collection's features (issue 20's live summaries): the
// features of each distinct combination of `group_by` values, counted, with the
// sums of the numeric properties `sums`. At most `max_groups` groups.
struct Aggregate {
  std::vector<std::string> group_by;
  std::vector<std::string> sums;
  std::int64_t max_groups = 1000;
};

struct AggregateGroup {
  std::vector<std::optional<std::string>> keys;  // as text ("2023" for a year); nullopt: null
  std::int64_t count = 0;
  std::vector<std::optional<double>> sums;       // nullopt: no feature had a value
};

class Store {
 public:
  virtual ~Store() = default;

  virtual std::vector<core::Collection> collections() = 0;
  virtual std::optional<core::Collection> collection(std::string_view id) = 0;

  // The distinct values of a text property, sorted, without null; empty when it has
  // more than `max` of them (a name, not a category).
  virtual std::vector<std::string> text_values(const core::Collection& collection, const std::string& property,
                                               std::size_t max) = 0;

  // Creates, unless it exists, an index on these properties of the collection
  // (in this order), named after the collection and the columns.
  // @throws core::InvalidValue for a property the collection lacks.
  virtual void create_attribute_index(const core::Collection& collection, const std::vector<std::string>& properties) = 0;
  // Several such indexes; a store may build them side by side.
  // @throws core::InvalidValue for a property the collection lacks.
  virtual void create_attribute_indexes(const core::Collection& collection,
                                        const std::vector<std::vector<std::string>>& indexes) {
    for (const auto& columns : indexes) create_attribute_index(collection, columns);
  }

  // The number of features matching the query (ignoring limit, offset and after).
  virtual std::int64_t count(const core::Collection& collection, const core::FeatureQuery& query) = 0;

  // Groups the features matching `query` (its filters; not its page) in the
  // store, by one query with bound values; groups in byte order of their keys,
  // null first. `truncated` says there were more than max_groups.
  // @throws core::InvalidValue for an unknown property or a sum of a property
  // that is not a number.
  virtual std::vector<AggregateGroup> aggregate(const core::Collection& collection, const core::FeatureQuery& query,
                                                const Aggregate& aggregate, bool& truncated) = 0;

  // Pushes the matching features, ordered by id, into `sink` (feature() only; the
  // caller calls begin() and end()). Returns how many were pushed. With `matched`,
  // also gives the number of all matching features (as count() would), without a
  // second query where the page itself tells (the last page, no filter).
  // @throws InvalidParameter when a filter value does not fit its property's type.
  virtual std::int64_t features(const core::Collection& collection, const core::FeatureQuery& query,
                                core::FeatureSink& sink, std::int64_t* matched = nullptr) = 0;

  // Pushes one feature; false when there is no such feature.
  virtual bool feature(const core::Collection& collection, std::int64_t id,
                       core::FeatureSink& sink) = 0;

  // Starts replacing (or creating) a collection with the given metadata and
  // properties. The old version stays readable until commit().
  // @throws InvalidParameter for an invalid collection id.
  virtual std::unique_ptr<CollectionWriter> replace_collection(const core::Collection& metadata) = 0;

  // @throws NotFound when there is no such collection (its styles go with it).
  virtual void remove_collection(std::string_view id) = 0;

  // The named styles of a collection, by name.
  virtual std::vector<StoredStyle> styles(std::string_view collection) = 0;
  virtual std::optional<StoredStyle> style(std::string_view collection, std::string_view name) = 0;
  // Adds or replaces a style. @throws NotFound when there is no such collection.
  virtual void put_style(const StoredStyle& style) = 0;
  // False when there was no such style.
  virtual bool remove_style(std::string_view collection, std::string_view name) = 0;

  // The raster layers, by id. Their files live in the store's rasters/ folder.
  virtual std::vector<RasterLayer> rasters() = 0;
  virtual std::optional<RasterLayer> raster(std::string_view id) = 0;
  // Records a raster layer whose file is already in place (`path` relative to
  // the store's folder), with its bands (replacing those it had).
  // @throws InvalidParameter when a collection has that id.
  virtual void put_raster(const RasterLayer& raster) = 0;
  // Points raster layer `raster.id` at a new grid (`path` relative to the
  // store's folder, with its bands, extent and range; its other fields stay),
  // but only while its grid is still the file named `based_on` (a file name,
  // no folder): checked and written in one transaction, so of two replacements
  // based on the same grid only the first succeeds. False when the layer is
  // gone or its grid is another file.
  virtual bool replace_grid(const RasterLayer& raster, std::string_view based_on) = 0;
};

}  // namespace amis::store
