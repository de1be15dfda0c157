// WCS 2.0.1 XML/POST requests (api/wcs/wcs_xml_request.hpp) read into the KVP
// encoding's request: the same typed values from either.
#include "api/wcs/wcs_xml_request.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace amis::api::wcs {
namespace {

constexpr const char* kNs =
    "xmlns:wcs=\"http://www.opengis.net/wcs/2.0\" xmlns:ows=\"http://www.opengis.net/ows/2.0\" "
    "xmlns:scal=\"http://www.opengis.net/WCS_service-extension_scaling/1.0\" "
    "xmlns:rsub=\"http://www.opengis.net/wcs/range-subsetting/1.0\" xmlns:crs=\"http://www.opengis.net/wcs/crs/1.0\" "
    "xmlns:int=\"http://www.opengis.net/WCS_service-extension_interpolation/1.0\"";

std::string get_coverage(const std::string& body) {
  return std::string("<wcs:GetCoverage ") + kNs + " service=\"WCS\" version=\"2.0.1\">" + body + "</wcs:GetCoverage>";
}

TEST(WcsXmlRequest, ReadsAGetCoverageWithEveryExtension) {
  const auto r = parse_wcs_xml(get_coverage(
      "<wcs:Extension><scal:Scaling><scal:ScaleToSize><scal:TargetAxisSize><scal:axis>Long</scal:axis>"
      "<scal:targetSize>64</scal:targetSize></scal:TargetAxisSize></scal:ScaleToSize></scal:Scaling>"
      "<rsub:RangeSubset><rsub:RangeItem><rsub:RangeComponent>D</rsub:RangeComponent></rsub:RangeItem>"
      "<rsub:RangeItem><rsub:RangeInterval><rsub:startComponent>F</rsub:startComponent><rsub:endComponent>Z"
      "</rsub:endComponent></rsub:RangeInterval></rsub:RangeItem></rsub:RangeSubset>"
      "<crs:subsettingCrs>http://www.opengis.net/def/crs/EPSG/0/4326</crs:subsettingCrs>"
      "<crs:outputCrs> http://www.opengis.net/def/crs/EPSG/0/3857 </crs:outputCrs>"
      "<int:Interpolation><int:globalInterpolation>http://www.opengis.net/def/interpolation/OGC/1/cubic"
      "</int:globalInterpolation></int:Interpolation></wcs:Extension>"
      "<wcs:CoverageId>geoid</wcs:CoverageId>"
      "<wcs:DimensionTrim><wcs:Dimension>Lat</wcs:Dimension><wcs:TrimHigh>10.5</wcs:TrimHigh></wcs:DimensionTrim>"
      "<wcs:DimensionSlice><wcs:Dimension>Long</wcs:Dimension><wcs:SlicePoint>100</wcs:SlicePoint></wcs:DimensionSlice>"
      "<wcs:format>image/png</wcs:format>"));
  ASSERT_EQ(r.operation, WcsOperation::GetCoverage);
  const auto& g = r.get_coverage;
  EXPECT_EQ(g.coverage_id, "geoid");
  ASSERT_EQ(g.subsets.size(), 2u);
  EXPECT_EQ(g.subsets[0], (coverage::AxisSubset{"Lat", std::nullopt, 10.5, false, ""}));
  EXPECT_EQ(g.subsets[1], (coverage::AxisSubset{"Long", 100.0, 100.0, true, ""}));
  EXPECT_EQ(g.format, "image/png");
  ASSERT_EQ(g.scale_size.size(), 1u);
  EXPECT_EQ(g.scale_size[0], (coverage::AxisValue{"Long", 64}));
  EXPECT_EQ(g.range_subset, "D,F:Z");
  EXPECT_EQ(g.subsetting_crs, "http://www.opengis.net/def/crs/EPSG/0/4326");
  EXPECT_EQ(g.output_crs, "http://www.opengis.net/def/crs/EPSG/0/3857");
  EXPECT_EQ(g.interpolation, coverage::Interpolation::Cubic);
}

TEST(WcsXmlRequest, ReadsCapabilitiesAndDescriptions) {
  EXPECT_EQ(parse_wcs_xml(std::string("<wcs:GetCapabilities ") + kNs + " service=\"WCS\"/>").operation,
            WcsOperation::GetCapabilities);
  const auto d = parse_wcs_xml(std::string("<DescribeCoverage xmlns=\"http://www.opengis.net/wcs/2.0\" "
                                           "service=\"WCS\" version=\"2.0.1\"><CoverageId>a</CoverageId>"
                                           "<CoverageId>b</CoverageId></DescribeCoverage>"));
  EXPECT_EQ(d.coverage_ids, (std::vector<std::string>{"a", "b"}));
}

TEST(WcsXmlRequest, RefusesWithTheWcsCodes) {
  const auto code = [](const std::string& xml) {
    try {
      parse_wcs_xml(xml);
    } catch (const core::OgcError& e) {
      return e.code() + " " + std::to_string(e.status());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(code("<wcs:GetCoverage"), "OperationParsingFailed 400");
  EXPECT_EQ(code("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + get_coverage("<wcs:CoverageId>&e;</wcs:CoverageId>")),
            "OperationParsingFailed 400");
  EXPECT_EQ(code("<GetCoverage xmlns=\"http://www.opengis.net/wcs\"/>"), "OperationNotSupported 400");
  EXPECT_EQ(code(get_coverage("")), "MissingParameterValue 400");
  EXPECT_EQ(code(get_coverage("<wcs:CoverageId>a</wcs:CoverageId><wcs:DimensionTrim><wcs:Dimension>Lat"
                              "</wcs:Dimension><wcs:TrimLow>5</wcs:TrimLow><wcs:TrimHigh>1</wcs:TrimHigh>"
                              "</wcs:DimensionTrim>")),
            "InvalidSubsetting 400");
  EXPECT_EQ(code(get_coverage("<wcs:Extension><scal:ScaleByFactor><scal:scaleFactor>-1</scal:scaleFactor>"
                              "</scal:ScaleByFactor></wcs:Extension><wcs:CoverageId>a</wcs:CoverageId>")),
            "InvalidScaleFactor 400");
  EXPECT_EQ(code(get_coverage("<wcs:Extension><int:Interpolation><int:globalInterpolation>magic"
                              "</int:globalInterpolation></int:Interpolation></wcs:Extension>"
                              "<wcs:CoverageId>a</wcs:CoverageId>")),
            "InterpolationMethodNotSupported 400");
  std::string trims;
  for (int i = 0; i < 9; ++i)
    trims += "<wcs:DimensionTrim><wcs:Dimension>A" + std::to_string(i) + "</wcs:Dimension></wcs:DimensionTrim>";
  EXPECT_EQ(code(get_coverage("<wcs:CoverageId>a</wcs:CoverageId>" + trims)), "InvalidSubsetting 400");
}

}  // namespace
}  // namespace amis::api::wcs
