#include "api/csw/csw_documents.hpp"

#include <map>

#include "api/csw/csw_queryables.hpp"
#include "encode/xml_text.hpp"

namespace amis::api::csw {
namespace {

using encode::append_xml_text;

std::string escaped(std::string_view text) {
  std::string out;
  append_xml_text(out, text);
  return out;
}

std::string values(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& v : list) out += "<ows:Value>" + escaped(v) + "</ows:Value>";
  return out;
}

std::string parameter(std::string_view name, const std::vector<std::string>& list) {
  return "<ows:Parameter name=\"" + std::string(name) + "\">" + values(list) + "</ows:Parameter>";
}

std::string constraint(std::string_view name, const std::vector<std::string>& list) {
  return "<ows:Constraint name=\"" + std::string(name) + "\">" + values(list) + "</ows:Constraint>";
}

std::string operation(const std::string& url, std::string_view name, const std::string& parameters, bool get = true) {
  std::string out = "<ows:Operation name=\"" + std::string(name) + "\"><ows:DCP><ows:HTTP>";
  if (get) out += "<ows:Get xlink:href=\"" + escaped(url) + "?\"/>";
  out += "<ows:Post xlink:href=\"" + escaped(url) + "\">" + constraint("PostEncoding", {"XML"}) + "</ows:Post>";
  return out + "</ows:HTTP></ows:DCP>" + parameters + "</ows:Operation>";
}

const std::map<std::string, std::vector<std::string>, std::less<>>& parameters() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> p = {
      {"GetCapabilities.sections", {"ServiceIdentification", "ServiceProvider", "OperationsMetadata", "Filter_Capabilities"}},
      {"DescribeRecord.typeName", {"csw:Record", "gmd:MD_Metadata"}},
      {"DescribeRecord.outputFormat", {"application/xml"}},
      {"DescribeRecord.schemaLanguage", {"http://www.w3.org/XML/Schema", "XMLSCHEMA"}},
      {"GetRecords.resultType", {"hits", "results"}},
      {"GetRecords.outputFormat", {"application/xml"}},
      {"GetRecords.outputSchema", {kCswNamespace, kGmdNamespace}},
      {"GetRecords.typeNames", {"csw:Record", "gmd:MD_Metadata"}},
      {"GetRecords.CONSTRAINTLANGUAGE", {"FILTER", "CQL_TEXT"}},
      {"GetRecords.ElementSetName", {"brief", "summary", "full"}},
      {"GetRecordById.outputSchema", {kCswNamespace, kGmdNamespace}},
      {"GetRecordById.outputFormat", {"application/xml"}},
      {"GetRecordById.ElementSetName", {"brief", "summary", "full"}},
  };
  return p;
}

std::vector<std::string> queryable_names(std::string_view prefix) {
  std::vector<std::string> out;
  for (const auto& q : csw_queryables())
    if (std::string_view(q.name).starts_with(prefix)) out.emplace_back(q.name);
  return out;
}

std::string filter_capabilities() {
  std::string out = "<ogc:Filter_Capabilities><ogc:Spatial_Capabilities><ogc:GeometryOperands>";
  for (const char* g : {"gml:Envelope", "gml:Point", "gml:LineString", "gml:Polygon"})
    out += std::string("<ogc:GeometryOperand>") + g + "</ogc:GeometryOperand>";
  out += "</ogc:GeometryOperands><ogc:SpatialOperators>";
  for (const char* op : {"BBOX", "Intersects"})
    out += std::string("<ogc:SpatialOperator name=\"") + op + "\"/>";
  out += "</ogc:SpatialOperators></ogc:Spatial_Capabilities><ogc:Scalar_Capabilities><ogc:LogicalOperators/>"
         "<ogc:ComparisonOperators>";
  for (const char* op : {"LessThan", "GreaterThan", "LessThanEqualTo", "GreaterThanEqualTo", "EqualTo", "NotEqualTo",
                         "Like", "Between", "NullCheck"})
    out += std::string("<ogc:ComparisonOperator>") + op + "</ogc:ComparisonOperator>";
  return out + "</ogc:ComparisonOperators></ogc:Scalar_Capabilities><ogc:Id_Capabilities><ogc:EID/><ogc:FID/>"
               "</ogc:Id_Capabilities></ogc:Filter_Capabilities>";
}

}  // namespace

std::string capabilities_document(const std::string& url, const CswServiceInfo& info) {
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>
<csw:Capabilities xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:ows="http://www.opengis.net/ows" )"
                    R"(xmlns:ogc="http://www.opengis.net/ogc" xmlns:gml="http://www.opengis.net/gml" )"
                    R"(xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" )"
                    R"(xsi:schemaLocation="http://www.opengis.net/cat/csw/2.0.2 http://schemas.opengis.net/csw/2.0.2/CSW-discovery.xsd" version="2.0.2">)";
  out += "<ows:ServiceIdentification><ows:Title>" + escaped(info.title) + "</ows:Title><ows:Abstract>" +
         escaped(info.abstract) +
         "</ows:Abstract><ows:Keywords><ows:Keyword>catalogue</ows:Keyword><ows:Keyword>metadata</ows:Keyword>"
         "<ows:Keyword>minerals</ows:Keyword></ows:Keywords><ows:ServiceType>CSW</ows:ServiceType>"
         "<ows:ServiceTypeVersion>2.0.2</ows:ServiceTypeVersion><ows:Fees>none</ows:Fees>"
         "<ows:AccessConstraints>none</ows:AccessConstraints></ows:ServiceIdentification>";
  out += "<ows:ServiceProvider><ows:ProviderName>" + escaped(info.provider) +
         "</ows:ProviderName><ows:ServiceContact/></ows:ServiceProvider>";
  const auto& p = parameters();
  auto param = [&](const char* op, const char* name) { return parameter(name, p.at(std::string(op) + "." + name)); };
  out += "<ows:OperationsMetadata>";
  out += operation(url, "GetCapabilities", param("GetCapabilities", "sections"));
  out += operation(url, "DescribeRecord", param("DescribeRecord", "typeName") + param("DescribeRecord", "outputFormat") +
                                              param("DescribeRecord", "schemaLanguage"));
  out += operation(url, "GetRecords",
                   param("GetRecords", "resultType") + param("GetRecords", "outputFormat") +
                       param("GetRecords", "outputSchema") + param("GetRecords", "typeNames") +
                       param("GetRecords", "CONSTRAINTLANGUAGE") + param("GetRecords", "ElementSetName") +
                       constraint("SupportedISOQueryables", queryable_names("apiso:")) +
                       constraint("SupportedDublinCoreQueryables", [] {
                         auto dc = queryable_names("dc:");
                         for (auto& n : queryable_names("dct:")) dc.push_back(n);
                         dc.emplace_back("csw:AnyText");
                         dc.emplace_back("ows:BoundingBox");
                         return dc;
                       }()) +
                       constraint("AdditionalQueryables", queryable_names("amis:")));
  out += operation(url, "GetRecordById", param("GetRecordById", "outputSchema") +
                                             param("GetRecordById", "outputFormat") +
                                             param("GetRecordById", "ElementSetName"));
  std::vector<std::string> names;
  for (const auto& [name, list] : p) names.push_back(name);
  std::vector<std::string> properties;
  for (const auto& q : csw_queryables())
    if (q.domain) properties.emplace_back(q.name);
  out += operation(url, "GetDomain", parameter("ParameterName", names) + parameter("PropertyName", properties));
  out += operation(url, "Transaction", parameter("TypeName", {"csw:Record", "gmd:MD_Metadata"}), false);
  out += parameter("service", {"CSW"}) + parameter("version", {"2.0.2"});
  out += constraint("IsoProfiles", {kGmdNamespace});
  out += constraint("MaxRecordDefault", {std::to_string(kDefaultMaxRecords)});
  out += constraint("MaxRecordsPerPage", {std::to_string(kMaxRecordsPerPage)});
  out += "</ows:OperationsMetadata>";
  out += filter_capabilities();
  return out + "</csw:Capabilities>\n";
}

std::string describe_record_document(const std::vector<std::string>& type_names) {
  auto wants = [&](std::string_view local) {
    if (type_names.empty()) return true;
    for (const auto& t : type_names) {
      const auto colon = t.find(':');
      if ((colon == std::string::npos ? std::string_view(t) : std::string_view(t).substr(colon + 1)) == local)
        return true;
    }
    return false;
  };
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>
<csw:DescribeRecordResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:xs="http://www.w3.org/2001/XMLSchema" )"
                    R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" )"
                    R"(xsi:schemaLocation="http://www.opengis.net/cat/csw/2.0.2 http://schemas.opengis.net/csw/2.0.2/CSW-discovery.xsd">)";
  auto component = [&](const char* ns, const char* location) {
    out += std::string("<csw:SchemaComponent targetNamespace=\"") + ns +
           "\" schemaLanguage=\"http://www.w3.org/XML/Schema\"><xs:schema targetNamespace=\"" + ns +
           "\" elementFormDefault=\"qualified\"><xs:include schemaLocation=\"" + location +
           "\"/></xs:schema></csw:SchemaComponent>";
  };
  if (wants("Record")) component(kCswNamespace, "http://schemas.opengis.net/csw/2.0.2/record.xsd");
  if (wants("MD_Metadata"))
    component(kGmdNamespace, "http://schemas.opengis.net/csw/2.0.2/profiles/apiso/1.0.0/apiso.xsd");
  return out + "</csw:DescribeRecordResponse>\n";
}

const std::vector<std::string>* parameter_domain(std::string_view name) {
  const auto& p = parameters();
  for (const auto& [key, list] : p)
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
      return &list;
  return nullptr;
}

std::string domain_document(std::string_view name, bool is_property,
                            const std::vector<std::pair<std::string, std::int64_t>>& list) {
  const char* element = is_property ? "csw:PropertyName" : "csw:ParameterName";
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>
<csw:GetDomainResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" )"
                    R"(xsi:schemaLocation="http://www.opengis.net/cat/csw/2.0.2 http://schemas.opengis.net/csw/2.0.2/CSW-discovery.xsd">)";
  out += std::string("<csw:DomainValues type=\"csw:Record\"><") + element + ">" + escaped(name) + "</" + element + ">";
  if (!list.empty()) {
    out += "<csw:ListOfValues>";
    for (const auto& [value, count] : list) {
      out += "<csw:Value";
      if (count >= 0) out += " count=\"" + std::to_string(count) + "\"";
      out += ">" + escaped(value) + "</csw:Value>";
    }
    out += "</csw:ListOfValues>";
  }
  return out + "</csw:DomainValues></csw:GetDomainResponse>\n";
}

std::string transaction_response(const TransactionSummary& t) {
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>
<csw:TransactionResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:dc="http://purl.org/dc/elements/1.1/" )"
                    R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="2.0.2" )"
                    R"(xsi:schemaLocation="http://www.opengis.net/cat/csw/2.0.2 http://schemas.opengis.net/csw/2.0.2/CSW-publication.xsd">)";
  out += "<csw:TransactionSummary";
  if (!t.request_id.empty()) out += " requestId=\"" + escaped(t.request_id) + "\"";
  out += "><csw:totalInserted>" + std::to_string(t.inserted) + "</csw:totalInserted><csw:totalUpdated>" +
         std::to_string(t.updated) + "</csw:totalUpdated><csw:totalDeleted>" + std::to_string(t.deleted) +
         "</csw:totalDeleted></csw:TransactionSummary>";
  if (!t.inserts.empty()) {
    out += "<csw:InsertResult>";
    for (const auto& [id, title] : t.inserts)
      out += "<csw:BriefRecord><dc:identifier>" + escaped(id) + "</dc:identifier><dc:title>" + escaped(title) +
             "</dc:title></csw:BriefRecord>";
    out += "</csw:InsertResult>";
  }
  return out + "</csw:TransactionResponse>\n";
}

}  // namespace amis::api::csw
