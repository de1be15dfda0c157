#pragma once
// Streaming GeoJSON (RFC 7946) FeatureCollection and Feature writers with the
// OGC API - Features members (numberMatched, numberReturned, timeStamp, links).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_sink.hpp"
#include "core/feature_sink.hpp"
#include "encode/link.hpp"

namespace amis::encode {

class CoordinateTransform;

// Appends one feature object: id, geometry (reprojected when `transform` is
// given) and properties typed per the collection.
void append_feature(std::string& out, const core::Collection& collection,
                    const core::FeatureView& feature,
                    const CoordinateTransform* transform = nullptr);

class GeoJsonFeatureCollection final : public core::FeatureSink {
 public:
  // `links` is called at the end with the number of features written, so that
  // `next` is offered only when there are more.
  GeoJsonFeatureCollection(core::ByteSink& out, std::optional<std::int64_t> number_matched,
                           std::function<std::vector<Link>(std::int64_t returned)> links,
                           const CoordinateTransform* transform = nullptr);

  void begin(const core::Collection& collection) override;
  void feature(const core::FeatureView& feature) override;
  void end() override;
  // numberMatched, when it is known only after the features (written at the end).
  void set_number_matched(std::int64_t n) { number_matched_ = n; }

 private:
  void flush_if_full();

  core::ByteSink& out_;
  std::optional<std::int64_t> number_matched_;
  std::function<std::vector<Link>(std::int64_t)> links_;
  const CoordinateTransform* transform_;
  const core::Collection* collection_ = nullptr;
  std::string buffer_;
  std::int64_t returned_ = 0;
};

// Writes a single Feature with its links into `out` (a small document).
class GeoJsonFeature final : public core::FeatureSink {
 public:
  GeoJsonFeature(std::string& out, std::vector<Link> links,
                 const CoordinateTransform* transform = nullptr)
      : out_(out), links_(std::move(links)), transform_(transform) {}
  void begin(const core::Collection& collection) override { collection_ = &collection; }
  void feature(const core::FeatureView& feature) override;
  void end() override {}

 private:
  std::string& out_;
  std::vector<Link> links_;
  const CoordinateTransform* transform_;
  const core::Collection* collection_ = nullptr;
};

// Current UTC time as RFC 3339 ("2026-11-27T14:03:03Z").
std::string utc_timestamp();

}  // namespace amis::encode
