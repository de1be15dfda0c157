#pragma once
// Streaming CSV (RFC 4180) of features: a WKT geometry column first (the column
// GDAL, QGIS and spreadsheets pick up), then the id and every property. Text
// cells a spreadsheet would run as a formula (= + - @, tab, carriage return
// first) get a single quote before them; numbers are written as numbers.
#include <string>
#include <string_view>

#include "core/byte_sink.hpp"
#include "core/feature_sink.hpp"

namespace amis::encode {

class CsvFeatureWriter final : public core::FeatureSink {
 public:
  explicit CsvFeatureWriter(core::ByteSink& out) : out_(out) {}
  void begin(const core::Collection& collection) override;
  void feature(const core::FeatureView& feature) override;
  void end() override;

 private:
  core::ByteSink& out_;
  const core::Collection* collection_ = nullptr;
  std::string buffer_;
};

// Appends one text cell (RFC 4180 quoting), with a single quote before text a
// spreadsheet would run as a formula (= + - @, tab, carriage return first; a
// plain number such as "-12.5" stays as it is). For every CSV AMIS writes.
void append_text_cell(std::string& out, std::string_view text);

// WKT of an ISO WKB geometry (empty for none or unreadable), through OGR.
std::string wkb_to_wkt(std::span<const std::uint8_t> wkb);

}  // namespace amis::encode
