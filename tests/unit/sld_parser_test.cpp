// SLD 1.0 / SE 1.1 reading. Rule filters are compared with the CQL2 text of the
// same condition parsed by the CQL2 reader (an independent path to the same
// tree); symbolizer values with what the documents say.
#include "styles/sld_parser.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/expression.hpp"
#include "query/cql2.hpp"

using amis::render::LineSymbolizer;
using amis::render::MarkShape;
using amis::render::PointSymbolizer;
using amis::render::PolygonSymbolizer;
using amis::render::TextSymbolizer;

namespace {

amis::core::Collection mines() {
  amis::core::Collection c;
  c.id = "coal_mines";
  c.geometry_type = "POINT";
  c.properties = {{"mine_name", amis::core::PropertyType::Text},
                  {"status", amis::core::PropertyType::Text},
                  {"capacity_mtpa", amis::core::PropertyType::Real},
                  {"opening_year", amis::core::PropertyType::Integer}};
  return c;
}

std::string cql2(const char* text) { return amis::core::to_debug_string(amis::query::parse_cql2_text(text)); }

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string sld10(const std::string& rules) {
  return "<StyledLayerDescriptor version=\"1.0.0\" xmlns=\"http://www.opengis.net/sld\" "
         "xmlns:ogc=\"http://www.opengis.net/ogc\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><NamedLayer>"
         "<Name>coal_mines</Name><UserStyle><Name>s</Name><Title>Style title</Title><Abstract>About</Abstract>"
         "<FeatureTypeStyle>" + rules + "</FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>";
}

std::vector<amis::render::Style> parse(const std::string& xml, const std::filesystem::path& symbols = {}) {
  return amis::styles::parse_sld_for(xml, mines(), symbols);
}

std::string refusal(const std::string& xml, const std::filesystem::path& symbols = {}) {
  try {
    parse(xml, symbols);
  } catch (const amis::core::OgcError& e) {
    EXPECT_EQ(e.status(), 400);
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << xml.substr(0, 300);
  return "";
}

TEST(SldParser, ReadsTheDemoStyleOfCoalMines) {
  const auto styles = parse(read_file(AMIS_SOURCE_DIR "/data/demo/styles/coal_mines-status-capacity.sld"));
  ASSERT_EQ(styles.size(), 1u);
  const auto& s = styles.front();
  EXPECT_EQ(s.name, "status-capacity");
  EXPECT_EQ(s.title, "Coal mines by status, sized by capacity");
  ASSERT_EQ(s.rules.size(), 16u);
  const auto& big = s.rules.front();
  EXPECT_EQ(big.title, "Operating, 5 Mtpa or more");
  ASSERT_TRUE(big.filter);
  EXPECT_EQ(amis::core::to_debug_string(*big.filter), cql2("status = 'Operating' AND capacity_mtpa >= 5"));
  const auto& mark = std::get<PointSymbolizer>(big.symbolizers.at(0));
  EXPECT_EQ(mark.shape, MarkShape::Circle);
  EXPECT_EQ(mark.size, 15);
  EXPECT_EQ(mark.fill->r, 0x1a);
  EXPECT_EQ(mark.fill->g, 0x98);
  EXPECT_DOUBLE_EQ(mark.fill->opacity, 0.85);
  EXPECT_EQ(mark.stroke->colour.r, 255);
  const auto& small = s.rules.at(10);
  EXPECT_EQ(amis::core::to_debug_string(*small.filter),
            cql2("status = 'Operating' AND (capacity_mtpa < 1 OR capacity_mtpa IS NULL)"));
  const auto& names = s.rules.back();
  EXPECT_FALSE(names.filter);
  EXPECT_EQ(names.max_scale, 1000000);
  const auto& label = std::get<TextSymbolizer>(names.symbolizers.at(0));
  EXPECT_EQ(label.label, "mine_name");
  EXPECT_EQ(label.dy, 10);
  EXPECT_EQ(label.halo_radius.value_or(0), 1.5);
}

TEST(SldParser, ReadsEverySymbolizerOfSld10) {
  const auto styles = parse(sld10(
      "<Rule><Name>a</Name><Title>A</Title><MinScaleDenominator>1000</MinScaleDenominator>"
      "<MaxScaleDenominator>5e6</MaxScaleDenominator>"
      "<PointSymbolizer><Graphic><Mark><WellKnownName>star</WellKnownName><Fill><CssParameter name=\"fill\">"
      "#FF0000</CssParameter></Fill></Mark><Size><ogc:Literal>12</ogc:Literal></Size><Rotation>45</Rotation>"
      "<Opacity>0.5</Opacity></Graphic></PointSymbolizer>"
      "<LineSymbolizer><Stroke><CssParameter name=\"stroke\">#0000ff</CssParameter><CssParameter "
      "name=\"stroke-width\">2.5</CssParameter><CssParameter name=\"stroke-dasharray\">5 2 1</CssParameter>"
      "</Stroke></LineSymbolizer>"
      "<PolygonSymbolizer><Fill><CssParameter name=\"fill-opacity\">0.3</CssParameter><CssParameter "
      "name=\"fill\">#00ff00</CssParameter></Fill></PolygonSymbolizer>"
      "<TextSymbolizer><Label><ogc:PropertyName>mine_name</ogc:PropertyName></Label><Font><CssParameter "
      "name=\"font-size\">11</CssParameter><CssParameter name=\"font-weight\">bold</CssParameter></Font>"
      "<Halo><Radius>2</Radius></Halo></TextSymbolizer></Rule>"
      "<Rule><ElseFilter/><PointSymbolizer/></Rule>"));
  const auto& s = styles.at(0);
  EXPECT_EQ(s.title, "Style title");
  EXPECT_EQ(s.abstract, "About");
  const auto& r = s.rules.at(0);
  EXPECT_EQ(r.min_scale, 1000);
  EXPECT_EQ(r.max_scale, 5e6);
  const auto& p = std::get<PointSymbolizer>(r.symbolizers.at(0));
  EXPECT_EQ(p.shape, MarkShape::Star);
  EXPECT_EQ(p.size, 12);
  EXPECT_EQ(p.rotation, 45);
  EXPECT_EQ(p.opacity, 0.5);
  EXPECT_FALSE(p.stroke);  // a Fill without a Stroke: no outline
  const auto& l = std::get<LineSymbolizer>(r.symbolizers.at(1));
  EXPECT_EQ(l.stroke.width, 2.5);
  EXPECT_EQ(l.stroke.colour.b, 255);
  EXPECT_EQ(l.stroke.dashes, (std::vector<double>{5, 2, 1, 5, 2, 1}));  // SVG doubles odd lists
  const auto& g = std::get<PolygonSymbolizer>(r.symbolizers.at(2));
  EXPECT_EQ(g.fill->g, 255);
  EXPECT_DOUBLE_EQ(g.fill->opacity, 0.3);  // whatever the order of the parameters
  EXPECT_FALSE(g.stroke);
  const auto& t = std::get<TextSymbolizer>(r.symbolizers.at(3));
  EXPECT_TRUE(t.bold);
  EXPECT_EQ(t.size, 11);
  EXPECT_EQ(t.halo_radius.value_or(0), 2);
  EXPECT_TRUE(s.rules.at(1).else_filter);
  // SE 11.3.2: a bare PointSymbolizer is a grey square with a black outline.
  const auto& bare = std::get<PointSymbolizer>(s.rules.at(1).symbolizers.at(0));
  EXPECT_EQ(bare.shape, MarkShape::Square);
  EXPECT_TRUE(bare.fill && bare.stroke);
}

TEST(SldParser, ReadsABareSeFeatureTypeStyle) {
  const auto styles = parse(
      "<se:FeatureTypeStyle xmlns:se=\"http://www.opengis.net/se\" xmlns:ogc=\"http://www.opengis.net/ogc\">"
      "<se:Rule><se:Name>r</se:Name><ogc:Filter><ogc:PropertyIsGreaterThan><ogc:PropertyName>opening_year"
      "</ogc:PropertyName><ogc:Literal>2000</ogc:Literal></ogc:PropertyIsGreaterThan></ogc:Filter>"
      "<se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>cross</se:WellKnownName></se:Mark>"
      "</se:Graphic></se:PointSymbolizer></se:Rule></se:FeatureTypeStyle>");
  ASSERT_EQ(styles.at(0).rules.size(), 1u);
  EXPECT_EQ(amis::core::to_debug_string(*styles.at(0).rules.at(0).filter), cql2("opening_year > 2000"));
}

TEST(SldParser, RefusesWhatItCannotDrawFaithfully) {
  EXPECT_NE(refusal("<foo/>").find("StyledLayerDescriptor"), std::string::npos);
  EXPECT_NE(refusal(sld10("<Rule><PointSymbolizer><Graphic><Mark/><Size><ogc:PropertyName>capacity_mtpa"
                          "</ogc:PropertyName></Size></Graphic></PointSymbolizer></Rule>"))
                .find("literal"),
            std::string::npos);
  EXPECT_NE(refusal(sld10("<Rule><TextSymbolizer><Label><ogc:PropertyName>secret</ogc:PropertyName></Label>"
                          "</TextSymbolizer></Rule>"))
                .find("no property"),
            std::string::npos);
  refusal(sld10("<Rule><ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>nope</ogc:PropertyName>"
                "<ogc:Literal>1</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter><PointSymbolizer/></Rule>"));
  refusal(sld10("<Rule><ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>status/../x</ogc:PropertyName>"
                "<ogc:Literal>1</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter><PointSymbolizer/></Rule>"));
  refusal(sld10("<Rule><PointSymbolizer><Graphic><Mark><WellKnownName>shape://arrow</WellKnownName></Mark>"
                "</Graphic></PointSymbolizer></Rule>"));
  refusal(sld10("<Rule><PointSymbolizer><Graphic><Size>100000</Size></Graphic></PointSymbolizer></Rule>"));
  refusal(sld10("<Rule><LineSymbolizer><Stroke><CssParameter name=\"stroke\">red</CssParameter></Stroke>"
                "</LineSymbolizer></Rule>"));
  refusal(sld10(""));  // a style without rules
  std::string many;
  for (int i = 0; i < 101; ++i) many += "<Rule><PointSymbolizer/></Rule>";
  EXPECT_NE(refusal(sld10(many)).find("100 rules"), std::string::npos);
  // Another layer's name, a UserLayer with inline data, a DTD.
  std::string other = sld10("<Rule><PointSymbolizer/></Rule>");
  other.replace(other.find("coal_mines"), 10, "countries");
  refusal(other);
  refusal("<StyledLayerDescriptor><UserLayer><Name>x</Name></UserLayer></StyledLayerDescriptor>");
  refusal("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
          "<StyledLayerDescriptor>&e;</StyledLayerDescriptor>");
}

TEST(SldParser, ExternalGraphicsComeOnlyFromTheSymbolFolder) {
  const auto folder = std::filesystem::temp_directory_path() / ("amis-symbols-" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "mine.svg") << "<svg xmlns='http://www.w3.org/2000/svg'/>";
  auto graphic = [](const std::string& href) {
    return sld10("<Rule><PointSymbolizer><Graphic><ExternalGraphic><OnlineResource xlink:type=\"simple\" "
                 "xlink:href=\"" + href + "\"/><Format>image/svg+xml</Format></ExternalGraphic><Size>16</Size>"
                 "</Graphic></PointSymbolizer></Rule>");
  };
  const auto styles = parse(graphic("mine.svg"), folder);
  EXPECT_EQ(std::get<PointSymbolizer>(styles.at(0).rules.at(0).symbolizers.at(0)).graphic, (folder / "mine.svg").string());
  refusal(graphic("../../etc/passwd.png"), folder);  // only the file name counts: passwd.png is not there
  refusal(graphic("http://evil.example/x.svg"), folder);
  refusal(graphic("file:///etc/shadow"), folder);
  refusal(graphic("mine.svg"));  // no symbol folder configured
  refusal(graphic(".hidden.svg"), folder);
  std::filesystem::remove_all(folder);
}

}  // namespace

namespace {

std::string colour_map_sld(const char* type, const char* entries) {
  return std::string("<StyledLayerDescriptor version=\"1.0.0\" xmlns=\"http://www.opengis.net/sld\"><NamedLayer>"
                     "<Name>geoid</Name><UserStyle><FeatureTypeStyle><Rule><RasterSymbolizer><ColorMap type=\"") +
         type + "\">" + entries +
         "</ColorMap></RasterSymbolizer></Rule></FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>";
}

amis::core::Collection geoid() {
  amis::core::Collection c;
  c.id = "geoid";
  c.geometry_type = amis::styles::kRasterGeometryType;
  return c;
}

}  // namespace

TEST(SldParser, ReadsARasterColorMapAndColoursValuesAsItSays) {
  const char* entries =
      "<ColorMapEntry color=\"#000000\" quantity=\"0\" label=\"low\"/>"
      "<ColorMapEntry color=\"#ff0080\" quantity=\"10\" opacity=\"0.5\"/>";
  auto ramp = amis::styles::parse_sld_for(colour_map_sld("ramp", entries), geoid(), {});
  const auto* map = amis::render::raster_color_map(&ramp.at(0));
  ASSERT_NE(map, nullptr);
  ASSERT_EQ(map->entries.size(), 2u);
  EXPECT_EQ(map->entries[0].label, "low");
  auto mid = amis::render::colour_of(*map, 5);  // half way: (0+255)/2, (0+128)/2, opacity (1+0.5)/2
  ASSERT_TRUE(mid);
  EXPECT_EQ(mid->r, 128);
  EXPECT_EQ(mid->g, 0);
  EXPECT_EQ(mid->b, 64);
  EXPECT_DOUBLE_EQ(mid->opacity, 0.75);
  EXPECT_EQ(amis::render::colour_of(*map, -3)->r, 0);     // below the first: the first colour
  EXPECT_EQ(amis::render::colour_of(*map, 99)->r, 255);   // above the last: the last colour
  auto intervals = amis::styles::parse_sld_for(colour_map_sld("intervals", entries), geoid(), {});
  map = amis::render::raster_color_map(&intervals.at(0));
  EXPECT_EQ(amis::render::colour_of(*map, -1)->r, 0);
  EXPECT_EQ(amis::render::colour_of(*map, 0)->r, 255);  // [0, 10) is the second entry's
  EXPECT_FALSE(amis::render::colour_of(*map, 10));       // from the last quantity up: nothing
  auto values = amis::styles::parse_sld_for(colour_map_sld("values", entries), geoid(), {});
  map = amis::render::raster_color_map(&values.at(0));
  EXPECT_EQ(amis::render::colour_of(*map, 10)->g, 0);
  EXPECT_FALSE(amis::render::colour_of(*map, 5));
}

TEST(SldParser, RefusesRasterSymbolizersWhereTheyDoNotBelong) {
  const char* entry = "<ColorMapEntry color=\"#000000\" quantity=\"0\"/>";
  // on a feature collection
  EXPECT_THROW(amis::styles::parse_sld_for(colour_map_sld("ramp", entry), mines(), {}),
               amis::core::InvalidParameter);
  for (const std::string& bad : {colour_map_sld("spiral", entry), colour_map_sld("ramp", ""),
                                colour_map_sld("ramp", "<ColorMapEntry color=\"#000000\" quantity=\"5\"/>"
                                                       "<ColorMapEntry color=\"#000000\" quantity=\"1\"/>"),
                                colour_map_sld("ramp", "<ColorMapEntry color=\"#000000\" quantity=\"x\"/>"),
                                colour_map_sld("ramp", "<ColorMapEntry color=\"#000000\"/>")})
    EXPECT_THROW(amis::styles::parse_sld_for(bad, geoid(), {}), amis::core::InvalidParameter) << bad;
}
