#include "coverage/coverage_json.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace amis::coverage {
namespace {

using json = nlohmann::ordered_json;  // parameters in the bands' order

bool integral(GDALDataType type) { return GDALDataTypeIsInteger(type) != 0; }

// Appends the shortest text of v that reads back as the same value of its type.
template <typename T>
void append_number(std::string& out, T v) {
  char text[40];
  auto [end, ec] = std::to_chars(text, text + sizeof text, v);
  if (ec != std::errc{}) throw core::ServerError("cannot write a coverage value");
  out.append(text, end);
}

json parameter(const store::RasterBand& band) {
  json p = {{"type", "Parameter"}, {"observedProperty", {{"label", {{"en", band.name}}}}}};
  if (!band.description.empty()) p["description"] = {{"en", band.description}};
  if (!band.unit.empty())
    p["unit"] = {{"symbol", {{"value", band.unit}, {"type", "http://www.opengis.net/def/uom/UCUM/"}}}};
  return p;
}

// One band's values (row by row from the top) as a JSON array, nodata and NaN null.
template <typename T>
void append_values(std::string& out, GDALRasterBandH band, int width, int height, GDALDataType read_as) {
  int has_nodata = 0;
  const double nodata = GDALGetRasterNoDataValue(band, &has_nodata);
  std::vector<T> row(static_cast<std::size_t>(width));
  out += '[';
  for (int y = 0; y < height; ++y) {
    if (GDALRasterIO(band, GF_Read, 0, y, width, 1, row.data(), width, 1, read_as, 0, 0) != CE_None)
      throw core::ServerError("cannot read the coverage's values");
    for (int x = 0; x < width; ++x) {
      if (x > 0 || y > 0) out += ',';
      const T v = row[static_cast<std::size_t>(x)];
      if (std::isnan(static_cast<double>(v)) || (has_nodata && static_cast<double>(v) == nodata)) out += "null";
      else append_number(out, v);
    }
  }
  out += ']';
}

}  // namespace

std::string write_coverage_json(GDALDatasetH result, const CoveragePlan& plan,
                                const std::vector<store::RasterBand>& bands) {
  const int width = GDALGetRasterXSize(result), height = GDALGetRasterYSize(result);
  double t[6];
  if (GDALGetGeoTransform(result, t) != CE_None) throw core::ServerError("the coverage result has no grid");
  json axes = {{"x", {{"start", t[0] + t[1] / 2}, {"stop", t[0] + (width - 0.5) * t[1]}, {"num", width}}},
               {"y", {{"start", t[3] + t[5] / 2}, {"stop", t[3] + (height - 0.5) * t[5]}, {"num", height}}}};
  json system = {{"type", "ProjectedCRS"}};
  bool north_first_crs = false;
  if (plan.crs) {
    system["id"] = plan.crs->uri();
    north_first_crs = north_first(*plan.crs);
    if (is_geographic(*plan.crs, "crs")) system["type"] = "GeographicCRS";
  } else if (const auto* wkt = GDALGetProjectionRef(result); wkt && *wkt) {
    system["wkt"] = wkt;
  }
  json domain = {{"type", "Domain"},
                 {"domainType", "Grid"},
                 {"axes", axes},
                 {"referencing", json::array({{{"coordinates", north_first_crs ? json::array({"y", "x"})
                                                                               : json::array({"x", "y"})},
                                               {"system", system}}})}};
  json parameters = json::object();
  for (int b : plan.bands) {
    const auto index = static_cast<std::size_t>(b - 1);
    store::RasterBand band = index < bands.size() ? bands[index] : store::RasterBand{};
    if (band.name.empty()) band.name = "band" + std::to_string(b);
    parameters[band.name] = parameter(band);
  }
  std::string out = R"({"type":"Coverage","domain":)" + domain.dump() + R"(,"parameters":)" + parameters.dump() +
                    R"(,"ranges":{)";
  bool first = true;
  for (int b : plan.bands) {
    const auto index = static_cast<std::size_t>(b - 1);
    const std::string name = index < bands.size() && !bands[index].name.empty() ? bands[index].name
                                                                                 : "band" + std::to_string(b);
    GDALRasterBandH band = GDALGetRasterBand(result, b);
    if (!band) throw core::ServerError("the coverage result has no band " + std::to_string(b));
    const GDALDataType type = GDALGetRasterDataType(band);
    if (!first) out += ',';
    first = false;
    out += json(name).dump();
    out += R"(:{"type":"NdArray","dataType":")";
    out += integral(type) ? "integer" : "float";
    out += R"(","axisNames":["y","x"],"shape":[)" + std::to_string(height) + ',' + std::to_string(width) +
           R"(],"values":)";
    if (integral(type)) append_values<long long>(out, band, width, height, GDT_Int64);
    else if (type == GDT_Float32) append_values<float>(out, band, width, height, GDT_Float32);
    else append_values<double>(out, band, width, height, GDT_Float64);
    out += '}';
  }
  out += "}}";
  return out;
}

}  // namespace amis::coverage
