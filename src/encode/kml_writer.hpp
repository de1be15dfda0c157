#pragma once
// Streaming KML 2.2: one Placemark per feature with its properties as typed
// ExtendedData (a Schema per collection), named after the collection's name
// property when it has one. KML is always longitude, latitude on WGS 84.
#include <string>

#include "core/byte_sink.hpp"
#include "core/feature_sink.hpp"

namespace amis::encode {

// The property whose text names each Placemark (<name>): a text property called
// "name", or else the first text property ending in "_name"; null for none.
// Uploads of KML map a Placemark's name back to it.
const core::Property* kml_name_property(const core::Collection& collection);

class KmlFeatureWriter final : public core::FeatureSink {
 public:
  explicit KmlFeatureWriter(core::ByteSink& out) : out_(out) {}
  void begin(const core::Collection& collection) override;
  void feature(const core::FeatureView& feature) override;
  void end() override;

 private:
  core::ByteSink& out_;
  const core::Collection* collection_ = nullptr;
  int name_index_ = -1;  // the property that names each Placemark, -1: none
  std::string buffer_;
};

}  // namespace amis::encode
