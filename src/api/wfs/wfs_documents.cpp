#include "api/wfs/wfs_documents.hpp"

#include "core/crs.hpp"
#include "core/filter_functions.hpp"
#include "api/wfs/wfs_request.hpp"
#include "encode/gml_writer.hpp"
#include "encode/xml_text.hpp"

namespace amis::api::wfs {
namespace {

using encode::append_xml_text;
using encode::GmlVersion;

void element(std::string& out, std::string_view name, std::string_view text) {
  encode::append_xml_element(out, name, text);
}

std::string escaped(std::string_view text) {
  std::string out;
  append_xml_text(out, text);
  return out;
}

std::string number(double v) {
  std::string out;
  encode::append_xml_number(out, v);
  return out;
}

// ows:DomainType constraint with a fixed default value.
std::string constraint(const char* prefix, std::string_view name, std::string_view value) {
  return std::string("<") + prefix + ":Constraint name=\"" + std::string(name) +
         "\"><ows:NoValues/><ows:DefaultValue>" + std::string(value) + "</ows:DefaultValue></" + prefix +
         ":Constraint>";
}

// OWS 1.1 wraps a parameter's values in AllowedValues; OWS 1.0 (WFS 1.1) lists them.
std::string allowed_values(std::string_view name, const std::vector<std::string>& values, bool ows_1_1 = true) {
  std::string out = "<ows:Parameter name=\"" + std::string(name) + "\">";
  if (ows_1_1) out += "<ows:AllowedValues>";
  for (const auto& v : values) out += "<ows:Value>" + escaped(v) + "</ows:Value>";
  if (ows_1_1) out += "</ows:AllowedValues>";
  return out + "</ows:Parameter>";
}

std::string operation(const std::string& service_url, std::string_view name, const std::string& parameters = "",
                      bool get = true) {
  std::string out = "<ows:Operation name=\"" + std::string(name) + "\"><ows:DCP><ows:HTTP>";
  if (get) out += "<ows:Get xlink:href=\"" + escaped(service_url) + "?\"/>";
  return out + "<ows:Post xlink:href=\"" + escaped(service_url) + "\"/></ows:HTTP></ows:DCP>" + parameters +
         "</ows:Operation>";
}

const char* const kComparisonOperators[] = {
    "PropertyIsEqualTo", "PropertyIsNotEqualTo", "PropertyIsLessThan", "PropertyIsGreaterThan",
    "PropertyIsLessThanOrEqualTo", "PropertyIsGreaterThanOrEqualTo", "PropertyIsLike",
    "PropertyIsNull", "PropertyIsNil", "PropertyIsBetween"};
const char* const kSpatialOperators[] = {"BBOX", "Equals", "Disjoint", "Intersects", "Touches",
                                         "Crosses", "Within", "Contains", "Overlaps"};
const char* const kTemporalOperators[] = {"After", "Before", "Begins", "BegunBy", "TContains",
                                          "During", "TEquals", "TOverlaps", "Meets", "OverlappedBy",
                                          "MetBy", "EndedBy", "Ends"};  // AnyInteracts is read too, but
                                                                        // FES 2.0 capabilities cannot name it
const char* const kGeometryOperands[] = {"gml:Envelope", "gml:Point", "gml:LineString", "gml:Polygon",
                                         "gml:MultiPoint", "gml:MultiCurve", "gml:MultiSurface",
                                         "gml:MultiGeometry"};

std::string xsd_type(const core::Collection& c, GmlVersion version) {
  (void)version;
  const std::string& g = c.geometry_type;
  if (g == "POINT") return "gml:PointPropertyType";
  if (g == "LINESTRING") return "gml:CurvePropertyType";
  if (g == "POLYGON") return "gml:SurfacePropertyType";
  if (g == "MULTIPOINT") return "gml:MultiPointPropertyType";
  if (g == "MULTILINESTRING") return "gml:MultiCurvePropertyType";
  if (g == "MULTIPOLYGON") return "gml:MultiSurfacePropertyType";
  return "gml:GeometryPropertyType";
}

const char* xsd_type(core::PropertyType type) {
  switch (type) {
    case core::PropertyType::Integer: return "xsd:long";
    case core::PropertyType::Real: return "xsd:double";
    case core::PropertyType::Text: return "xsd:string";
    case core::PropertyType::Boolean: return "xsd:boolean";
    case core::PropertyType::Date: return "xsd:date";
    case core::PropertyType::DateTime: return "xsd:dateTime";
  }
  return "xsd:string";
}

std::string keywords(const core::Collection& c) {
  if (c.keywords.empty()) return "";
  std::string out = "<ows:Keywords>";
  for (const auto& k : c.keywords) element(out, "ows:Keyword", k);
  return out + "</ows:Keywords>";
}

std::string service_identification(const ServiceDescription& s, const char* versions) {
  std::string out = "<ows:ServiceIdentification>";
  element(out, "ows:Title", s.title);
  element(out, "ows:Abstract", s.description);
  out += "<ows:Keywords><ows:Keyword>minerals</ows:Keyword><ows:Keyword>geology</ows:Keyword>"
         "<ows:Keyword>ASEAN</ows:Keyword></ows:Keywords><ows:ServiceType>WFS</ows:ServiceType>";
  out += versions;
  out += "<ows:Fees>NONE</ows:Fees><ows:AccessConstraints>NONE</ows:AccessConstraints></ows:ServiceIdentification>";
  out += "<ows:ServiceProvider><ows:ProviderName>ASEAN Minerals Information System (AMIS)</ows:ProviderName>"
         "<ows:ServiceContact><ows:ContactInfo><ows:OnlineResource xlink:href=\"" +
         escaped(s.base_url) + "/\"/></ows:ContactInfo></ows:ServiceContact></ows:ServiceProvider>";
  return out;
}

// The start of a wfs:FeatureType (the same elements in WFS 2.0 and 1.1).
void feature_type_description(std::string& out, const core::Collection& c) {
  out += "<wfs:FeatureType>";
  element(out, "wfs:Name", "amis:" + encode::xml_name(c.id));
  element(out, "wfs:Title", c.title.empty() ? c.id : c.title);
  if (!c.description.empty()) element(out, "wfs:Abstract", c.description);
  out += keywords(c);
}

std::string wgs84_bounding_box(const core::Collection& c) {
  if (!c.extent || c.extent->empty()) return "";
  return "<ows:WGS84BoundingBox><ows:LowerCorner>" + number(c.extent->min_x) + " " + number(c.extent->min_y) +
         "</ows:LowerCorner><ows:UpperCorner>" + number(c.extent->max_x) + " " + number(c.extent->max_y) +
         "</ows:UpperCorner></ows:WGS84BoundingBox>";
}

}  // namespace

const std::vector<std::string>& output_format_names(GmlVersion version) {
  static const std::vector<std::string> v2 = {
      "application/gml+xml; version=3.2", "text/xml; subtype=gml/3.2", "text/xml; subtype=gml/3.1.1",
      "application/json", "application/geo+json", "text/csv", "application/vnd.google-earth.kml+xml",
      "SHAPE-ZIP", "application/geopackage+sqlite3", "application/flatgeobuf"};
  static const std::vector<std::string> v1 = {
      "text/xml; subtype=gml/3.1.1", "application/gml+xml; version=3.2", "text/xml; subtype=gml/3.2",
      "application/json", "application/geo+json", "text/csv", "application/vnd.google-earth.kml+xml",
      "SHAPE-ZIP", "application/geopackage+sqlite3", "application/flatgeobuf"};
  return version == GmlVersion::V3_2 ? v2 : v1;
}

std::string capabilities_2_0(const ServiceDescription& s, const std::vector<core::Collection>& collections) {
  const std::string url = s.base_url + "/wfs";
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wfs:WFS_Capabilities version=\"2.0.0\""
      " xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" xmlns:ows=\"http://www.opengis.net/ows/1.1\""
      " xmlns:fes=\"http://www.opengis.net/fes/2.0\" xmlns:gml=\"http://www.opengis.net/gml/3.2\""
      " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
      " xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
      " xmlns:amis=\"" + std::string(encode::kAmisNamespace) + "\""
      " xsi:schemaLocation=\"http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd\">\n";
  out += service_identification(
      s, "<ows:ServiceTypeVersion>2.0.0</ows:ServiceTypeVersion><ows:ServiceTypeVersion>1.1.0</ows:ServiceTypeVersion>");
  std::vector<std::string> type_names;
  for (const auto& c : collections) type_names.push_back("amis:" + encode::xml_name(c.id));
  out += "\n<ows:OperationsMetadata>";
  out += operation(url, "GetCapabilities", allowed_values("AcceptVersions", {"2.0.0", "1.1.0"}) +
                                               allowed_values("AcceptFormats", {"text/xml"}));
  out += operation(url, "DescribeFeatureType",
                   allowed_values("outputFormat", {"application/gml+xml; version=3.2", "text/xml; subtype=gml/3.2"}));
  out += operation(url, "GetFeature",
                   allowed_values("outputFormat", output_format_names(GmlVersion::V3_2)) +
                       allowed_values("resultType", {"results", "hits"}));
  out += operation(url, "GetPropertyValue",
                   allowed_values("outputFormat", {"application/gml+xml; version=3.2"}) +
                       allowed_values("resolve", {"none"}));
  out += operation(url, "ListStoredQueries");
  out += operation(url, "DescribeStoredQueries");
  if (s.transactional)
    out += operation(url, "Transaction", allowed_values("inputFormat", {"application/gml+xml; version=3.2"}), false);
  out += allowed_values("version", {"2.0.0", "1.1.0"});
  for (auto [name, value] : {std::pair{"ImplementsBasicWFS", "TRUE"},
                             {"ImplementsTransactionalWFS", s.transactional ? "TRUE" : "FALSE"},
                             {"ImplementsLockingWFS", "FALSE"},
                             {"KVPEncoding", "TRUE"},
                             {"XMLEncoding", "TRUE"},
                             {"SOAPEncoding", "FALSE"},
                             {"ImplementsInheritance", "FALSE"},
                             {"ImplementsRemoteResolve", "FALSE"},
                             {"ImplementsResultPaging", "TRUE"},
                             {"ImplementsStandardJoins", "FALSE"},
                             {"ImplementsSpatialJoins", "FALSE"},
                             {"ImplementsTemporalJoins", "FALSE"},
                             {"ImplementsFeatureVersioning", "FALSE"},
                             {"ManageStoredQueries", "FALSE"}})
    out += constraint("ows", name, value);
  out += "<ows:Constraint name=\"QueryExpressions\"><ows:AllowedValues><ows:Value>wfs:Query</ows:Value>"
         "<ows:Value>wfs:StoredQuery</ows:Value></ows:AllowedValues></ows:Constraint>";
  out += "</ows:OperationsMetadata>\n<wfs:FeatureTypeList>";
  for (const auto& c : collections) {
    feature_type_description(out, c);
    out += "<wfs:DefaultCRS>urn:ogc:def:crs:EPSG::4326</wfs:DefaultCRS>";
    for (const auto& crs : core::advertised_crs())
      if (crs.epsg != 4326) element(out, "wfs:OtherCRS", core::crs_urn(crs));
    out += "<wfs:OutputFormats>";
    for (const auto& f : output_format_names(GmlVersion::V3_2)) element(out, "wfs:Format", f);
    out += "</wfs:OutputFormats>";
    out += wgs84_bounding_box(c);
    out += "<wfs:MetadataURL xlink:href=\"" + escaped(s.base_url + "/collections/" + c.id) + "\"/>";
    out += "</wfs:FeatureType>";
  }
  out += "</wfs:FeatureTypeList>\n<fes:Filter_Capabilities><fes:Conformance>";
  for (auto [name, value] : {std::pair{"ImplementsQuery", "TRUE"},
                             {"ImplementsAdHocQuery", "TRUE"},
                             {"ImplementsFunctions", "TRUE"},
                             {"ImplementsResourceId", "TRUE"},
                             {"ImplementsMinStandardFilter", "TRUE"},
                             {"ImplementsStandardFilter", "TRUE"},
                             {"ImplementsMinSpatialFilter", "TRUE"},
                             {"ImplementsSpatialFilter", "TRUE"},
                             {"ImplementsMinTemporalFilter", "TRUE"},
                             {"ImplementsTemporalFilter", "TRUE"},
                             {"ImplementsVersionNav", "FALSE"},
                             {"ImplementsSorting", "TRUE"},
                             {"ImplementsExtendedOperators", "FALSE"},
                             {"ImplementsMinimumXPath", "FALSE"},
                             {"ImplementsSchemaElementFunc", "FALSE"}})
    out += constraint("fes", name, value);
  out += "</fes:Conformance><fes:Id_Capabilities><fes:ResourceIdentifier name=\"fes:ResourceId\"/>"
         "</fes:Id_Capabilities><fes:Scalar_Capabilities><fes:LogicalOperators/><fes:ComparisonOperators>";
  for (const char* op : kComparisonOperators) out += std::string("<fes:ComparisonOperator name=\"") + op + "\"/>";
  out += "</fes:ComparisonOperators></fes:Scalar_Capabilities><fes:Spatial_Capabilities><fes:GeometryOperands>";
  for (const char* g : kGeometryOperands) out += std::string("<fes:GeometryOperand name=\"") + g + "\"/>";
  out += "</fes:GeometryOperands><fes:SpatialOperators>";
  for (const char* op : kSpatialOperators) out += std::string("<fes:SpatialOperator name=\"") + op + "\"/>";
  out += "</fes:SpatialOperators></fes:Spatial_Capabilities><fes:Temporal_Capabilities><fes:TemporalOperands>"
         "<fes:TemporalOperand name=\"gml:TimeInstant\"/><fes:TemporalOperand name=\"gml:TimePeriod\"/>"
         "</fes:TemporalOperands><fes:TemporalOperators>";
  for (const char* op : kTemporalOperators) out += std::string("<fes:TemporalOperator name=\"") + op + "\"/>";
  out += "</fes:TemporalOperators></fes:Temporal_Capabilities><fes:Functions>";
  for (const auto& f : core::filter_functions()) {
    auto xs = [](const std::string& t) {
      return t == "number" ? "xsd:double" : t == "integer" ? "xsd:long" : t == "boolean" ? "xsd:boolean"
           : t == "geometry" ? "gml:AbstractGeometryType" : "xsd:string";
    };
    out += "<fes:Function name=\"" + escaped(f.name) + "\"><fes:Returns>" + xs(f.returns) +
           "</fes:Returns><fes:Arguments>";
    for (size_t i = 0; i < f.arguments.size(); ++i)
      out += "<fes:Argument name=\"arg" + std::to_string(i + 1) + "\"><fes:Type>" + xs(f.arguments[i]) +
             "</fes:Type></fes:Argument>";
    out += "</fes:Arguments></fes:Function>";
  }
  out += "</fes:Functions></fes:Filter_Capabilities>\n</wfs:WFS_Capabilities>\n";
  return out;
}

std::string capabilities_1_1(const ServiceDescription& s, const std::vector<core::Collection>& collections) {
  const std::string url = s.base_url + "/wfs";
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wfs:WFS_Capabilities version=\"1.1.0\""
      " xmlns:wfs=\"http://www.opengis.net/wfs\" xmlns:ows=\"http://www.opengis.net/ows\""
      " xmlns:ogc=\"http://www.opengis.net/ogc\" xmlns:gml=\"http://www.opengis.net/gml\""
      " xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
      " xmlns:amis=\"" + std::string(encode::kAmisNamespace) + "\""
      " xsi:schemaLocation=\"http://www.opengis.net/wfs http://schemas.opengis.net/wfs/1.1.0/wfs.xsd\">\n";
  out += service_identification(s, "<ows:ServiceTypeVersion>1.1.0</ows:ServiceTypeVersion>");
  out += "\n<ows:OperationsMetadata>";
  out += operation(url, "GetCapabilities", allowed_values("AcceptVersions", {"1.1.0", "2.0.0"}, false));
  out += operation(url, "DescribeFeatureType",
                   allowed_values("outputFormat", {"text/xml; subtype=gml/3.1.1"}, false));
  out += operation(url, "GetFeature",
                   allowed_values("resultType", {"results", "hits"}, false) +
                       allowed_values("outputFormat", output_format_names(GmlVersion::V3_1_1), false));
  if (s.transactional)
    out += operation(url, "Transaction", allowed_values("inputFormat", {"text/xml; subtype=gml/3.1.1"}, false), false);
  out += "</ows:OperationsMetadata>\n<wfs:FeatureTypeList><wfs:Operations><wfs:Operation>Query</wfs:Operation>";
  if (s.transactional)
    out += "<wfs:Operation>Insert</wfs:Operation><wfs:Operation>Update</wfs:Operation>"
           "<wfs:Operation>Delete</wfs:Operation>";
  out += "</wfs:Operations>";
  for (const auto& c : collections) {
    feature_type_description(out, c);
    out += "<wfs:DefaultSRS>urn:x-ogc:def:crs:EPSG:4326</wfs:DefaultSRS>";
    for (const auto& crs : core::advertised_crs())
      if (!crs.is_crs84() && crs.epsg != 4326)
        element(out, "wfs:OtherSRS", "urn:x-ogc:def:crs:EPSG:" + std::to_string(crs.epsg));
    out += "<wfs:OutputFormats>";
    for (const auto& f : output_format_names(GmlVersion::V3_1_1)) element(out, "wfs:Format", f);
    out += "</wfs:OutputFormats>";
    out += wgs84_bounding_box(c);
    out += "</wfs:FeatureType>";
  }
  out += "</wfs:FeatureTypeList>\n<ogc:Filter_Capabilities><ogc:Spatial_Capabilities><ogc:GeometryOperands>"
         "<ogc:GeometryOperand>gml:Envelope</ogc:GeometryOperand><ogc:GeometryOperand>gml:Point</ogc:GeometryOperand>"
         "<ogc:GeometryOperand>gml:LineString</ogc:GeometryOperand><ogc:GeometryOperand>gml:Polygon</ogc:GeometryOperand>"
         "</ogc:GeometryOperands><ogc:SpatialOperators>";
  for (const char* op : kSpatialOperators) out += std::string("<ogc:SpatialOperator name=\"") + op + "\"/>";
  out += "</ogc:SpatialOperators></ogc:Spatial_Capabilities><ogc:Scalar_Capabilities><ogc:LogicalOperators/>"
         "<ogc:ComparisonOperators>";
  for (const char* op : {"LessThan", "GreaterThan", "LessThanEqualTo", "GreaterThanEqualTo", "EqualTo",
                         "NotEqualTo", "Like", "Between", "NullCheck"})
    out += std::string("<ogc:ComparisonOperator>") + op + "</ogc:ComparisonOperator>";
  out += "</ogc:ComparisonOperators><ogc:ArithmeticOperators><ogc:SimpleArithmetic/></ogc:ArithmeticOperators>"
         "</ogc:Scalar_Capabilities><ogc:Id_Capabilities><ogc:FID/></ogc:Id_Capabilities></ogc:Filter_Capabilities>\n"
         "</wfs:WFS_Capabilities>\n";
  return out;
}

std::string feature_type_schema(const std::vector<core::Collection>& collections, GmlVersion version) {
  const bool v32 = version == GmlVersion::V3_2;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xsd:schema xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"";
  out += std::string(" xmlns:gml=\"") + (v32 ? encode::kGml32Namespace : encode::kGml311Namespace) + "\"";
  out += std::string(" xmlns:amis=\"") + encode::kAmisNamespace + "\" targetNamespace=\"" + encode::kAmisNamespace +
         "\" elementFormDefault=\"qualified\" version=\"1.0\">\n";
  out += v32 ? "<xsd:import namespace=\"http://www.opengis.net/gml/3.2\" "
               "schemaLocation=\"http://schemas.opengis.net/gml/3.2.1/gml.xsd\"/>\n"
             : "<xsd:import namespace=\"http://www.opengis.net/gml\" "
               "schemaLocation=\"http://schemas.opengis.net/gml/3.1.1/base/gml.xsd\"/>\n";
  for (const auto& c : collections) {
    const std::string type = encode::xml_name(c.id);
    out += "<xsd:complexType name=\"" + type + "Type\"><xsd:complexContent>"
           "<xsd:extension base=\"gml:AbstractFeatureType\"><xsd:sequence>\n";
    out += std::string("<xsd:element name=\"") + encode::kGeometryElement + "\" type=\"" + xsd_type(c, version) +
           "\" minOccurs=\"0\"/>\n";
    for (const auto& p : c.properties)
      out += "<xsd:element name=\"" + escaped(encode::xml_name(p.name)) + "\" type=\"" + xsd_type(p.type) +
             "\" minOccurs=\"0\"/>\n";
    out += "</xsd:sequence></xsd:extension></xsd:complexContent></xsd:complexType>\n";
    out += "<xsd:element name=\"" + type + "\" type=\"amis:" + type + "Type\" substitutionGroup=\"" +
           (v32 ? "gml:AbstractFeature" : "gml:_Feature") + "\"/>\n";
  }
  out += "</xsd:schema>\n";
  return out;
}

std::string list_stored_queries(const std::vector<core::Collection>& collections) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wfs:ListStoredQueriesResponse"
      " xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
      " xmlns:amis=\"" + std::string(encode::kAmisNamespace) + "\""
      " xsi:schemaLocation=\"http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd\">"
      "<wfs:StoredQuery id=\"" + std::string(kGetFeatureById) + "\"><wfs:Title>Get feature by identifier</wfs:Title>";
  for (const auto& c : collections) element(out, "wfs:ReturnFeatureType", "amis:" + encode::xml_name(c.id));
  out += "</wfs:StoredQuery></wfs:ListStoredQueriesResponse>\n";
  return out;
}

std::string describe_stored_queries() {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wfs:DescribeStoredQueriesResponse"
         " xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
         " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:fes=\"http://www.opengis.net/fes/2.0\""
         " xsi:schemaLocation=\"http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd\">"
         "<wfs:StoredQueryDescription id=\"" + std::string(kGetFeatureById) + "\">"
         "<wfs:Title>Get feature by identifier</wfs:Title>"
         "<wfs:Abstract>Returns the single feature whose gml:id is the value of ID.</wfs:Abstract>"
         "<wfs:Parameter name=\"ID\" type=\"xsd:string\"/>"
         "<wfs:QueryExpressionText returnFeatureTypes=\"\" language=\"urn:ogc:def:queryLanguage:OGC-WFS::WFSQueryExpression\" isPrivate=\"true\"/>"
         "</wfs:StoredQueryDescription></wfs:DescribeStoredQueriesResponse>\n";
}

}  // namespace amis::api::wfs
