#pragma once
// Streaming WFS feature collections in GML: a wfs:FeatureCollection of WFS 2.0
// (GML 3.2) or WFS 1.1 (GML 3.1.1), with features in the `amis` application
// schema that DescribeFeatureType publishes.
#include <cstdint>
#include <optional>
#include <string>

#include "core/byte_sink.hpp"
#include "core/feature_sink.hpp"
#include "encode/gml_geometry.hpp"

namespace amis::encode {

inline constexpr const char* kAmisNamespace = "https://amis.asean.org/ns/amis";
inline constexpr const char* kGml32Namespace = "http://www.opengis.net/gml/3.2";
inline constexpr const char* kGml311Namespace = "http://www.opengis.net/gml";
inline constexpr const char* kWfs20Namespace = "http://www.opengis.net/wfs/2.0";
inline constexpr const char* kWfs11Namespace = "http://www.opengis.net/wfs";

// The name of the geometry property element of every feature type.
inline constexpr const char* kGeometryElement = "geometry";

// Appends one feature element `amis:<collection id>` with gml:id "<id>.<fid>": its
// gml:boundedBy (the box of its geometry in the output CRS and axis order), its
// geometry, then its non-null properties in the collection's order.
void append_gml_feature(std::string& out, const core::Collection& collection,
                        const core::FeatureView& feature, const GmlCoordinates& coordinates);

// What the root element of a collection says about it.
struct GmlCollectionHeader {
  std::optional<std::int64_t> number_matched;  // nullopt: "unknown"
  std::int64_t number_returned = 0;
  std::string next, previous;   // WFS 2.0 paging URIs, empty: none
  std::string schema_location;  // pairs of namespace and schema URL
};

// A wfs:FeatureCollection is written in three parts, so that a page can be
// read before its counts are written: the start tag, the members, the end tag.
std::string gml_collection_start(GmlVersion version, const GmlCollectionHeader& header);
std::string gml_collection_end();

// Writes each feature as a wfs:member (2.0) or gml:featureMember (1.1).
class GmlMembers final : public core::FeatureSink {
 public:
  GmlMembers(core::ByteSink& out, GmlCoordinates coordinates)
      : out_(out), coordinates_(std::move(coordinates)) {}

  void begin(const core::Collection& collection) override { collection_ = &collection; }
  void feature(const core::FeatureView& feature) override;
  void end() override;  // flushes

 private:
  core::ByteSink& out_;
  GmlCoordinates coordinates_;
  const core::Collection* collection_ = nullptr;
  std::string buffer_;
};

// The namespace declarations of a document with `amis` features, for a root element.
std::string gml_namespace_declarations(GmlVersion version);

}  // namespace amis::encode
