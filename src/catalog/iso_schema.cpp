#include "catalog/iso_schema.hpp"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>

#include <cstring>
#include <mutex>

#include "core/error.hpp"

namespace amis::catalog {
namespace {

constexpr std::string_view kIsoPrefix = "http://schemas.opengis.net/iso/19139/20060504/";
constexpr std::size_t kMaxMessages = 10;

// One schema root holds gmd (metadata), srv (service metadata) and gmx (its
// extended types: gmx:Anchor, gmx:FileName) by their canonical locations.
constexpr const char* kRootSchema = R"(<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:amis:iso19139-validation">
  <xs:import namespace="http://www.isotc211.org/2005/gmd" schemaLocation="http://schemas.opengis.net/iso/19139/20060504/gmd/gmd.xsd"/>
  <xs:import namespace="http://www.isotc211.org/2005/srv" schemaLocation="http://schemas.opengis.net/iso/19139/20060504/srv/srv.xsd"/>
  <xs:import namespace="http://www.isotc211.org/2005/gmx" schemaLocation="http://schemas.opengis.net/iso/19139/20060504/gmx/gmx.xsd"/>
</xs:schema>)";

// The schema files while they compile: libxml2's entity loader is process-wide,
// so compiling is serialised and the loader is put back afterwards.
std::mutex g_compile_mutex;
std::filesystem::path g_root;

// Maps the schemas' http:// locations onto the local copies and refuses every
// other location: compiling never touches the network or a file outside the root.
xmlParserInputPtr local_schema_loader(const char* url, const char*, xmlParserCtxtPtr context) {
  const std::string_view u = url ? url : "";
  std::filesystem::path local;
  if (u.starts_with(kIsoPrefix)) local = g_root / "iso/19139/20060504" / std::string(u.substr(kIsoPrefix.size()));
  else if (u == "http://www.w3.org/1999/xlink.xsd") local = g_root / "w3c/1999/xlink.xsd";
  else if (u == "http://www.w3.org/2001/xml.xsd" || u == "http://www.w3.org/XML/1998/namespace")
    local = g_root / "w3c/2001/xml.xsd";
  else if (u.find("://") == std::string_view::npos) local = std::string(u);  // a relative include, resolved
  const auto normal = local.lexically_normal().string();
  if (local.empty() || !normal.starts_with(g_root.lexically_normal().string())) return nullptr;
  return xmlNewInputFromFile(context, normal.c_str());
}

void collect_message(void* out, xmlErrorPtr error) {
  auto& messages = *static_cast<std::vector<std::string>*>(out);
  if (!error || messages.size() >= kMaxMessages) return;
  std::string text = error->message ? error->message : "invalid";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  messages.push_back("line " + std::to_string(error->line) + ": " + text);
}

std::string joined(const std::vector<std::string>& messages) {
  std::string out;
  for (const auto& m : messages) out += (out.empty() ? "" : "; ") + m;
  return out;
}

// XML 1.0 (2.8): a DOCTYPE comes before the root element. Any is refused before
// libxml2 reads it, so no entity is ever declared, expanded or fetched.
bool has_doctype(std::string_view xml) {
  std::size_t i = 0;
  while ((i = xml.find('<', i)) != std::string_view::npos) {
    const auto rest = xml.substr(i);
    if (rest.starts_with("<?")) {
      i = xml.find("?>", i);
    } else if (rest.starts_with("<!--")) {
      i = xml.find("-->", i);
    } else {
      return rest.starts_with("<!DOCTYPE") || rest.starts_with("<!doctype");
    }
    if (i == std::string_view::npos) return false;
  }
  return false;
}

}  // namespace

void XmlDocFree::operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }

struct IsoSchema::Compiled {
  xmlSchemaPtr schema = nullptr;
  ~Compiled() { xmlSchemaFree(schema); }
};

IsoSchema::IsoSchema(const std::filesystem::path& schema_root) : compiled_(std::make_unique<Compiled>()) {
  xmlInitParser();
  if (!std::filesystem::exists(schema_root / "iso/19139/20060504/gmd/gmd.xsd"))
    throw core::ServerError("the ISO 19139 schemas are not in " + schema_root.string());
  std::lock_guard lock(g_compile_mutex);
  g_root = std::filesystem::absolute(schema_root);
  const auto previous = xmlGetExternalEntityLoader();
  xmlSetExternalEntityLoader(local_schema_loader);
  std::vector<std::string> messages;
  xmlSchemaParserCtxtPtr parser = xmlSchemaNewMemParserCtxt(kRootSchema, static_cast<int>(std::strlen(kRootSchema)));
  xmlSchemaSetParserStructuredErrors(parser, collect_message, &messages);
  compiled_->schema = xmlSchemaParse(parser);
  xmlSchemaFreeParserCtxt(parser);
  xmlSetExternalEntityLoader(previous);
  if (!compiled_->schema)
    throw core::ServerError("the ISO 19139 schemas in " + schema_root.string() + " do not compile: " + joined(messages));
}

IsoSchema::~IsoSchema() = default;

std::vector<std::string> IsoSchema::validate(xmlDoc* doc) const {
  std::vector<std::string> messages;
  xmlSchemaValidCtxtPtr context = xmlSchemaNewValidCtxt(compiled_->schema);
  if (!context) throw core::ServerError("cannot create a schema validation context");
  xmlSchemaSetValidStructuredErrors(context, collect_message, &messages);
  const int result = xmlSchemaValidateDoc(context, doc);
  xmlSchemaFreeValidCtxt(context);
  if (result != 0 && messages.empty()) messages.push_back("the document does not validate");
  return messages;
}

XmlDocPtr IsoSchema::read(std::string_view xml, const char* locator) const {
  if (xml.size() > kMaxIsoDocumentBytes)
    throw core::ParsingFailed(locator, "the ISO document is larger than " +
                                           std::to_string(kMaxIsoDocumentBytes / (1024 * 1024)) + " MiB");
  if (has_doctype(xml))
    throw core::ParsingFailed(locator, "XML documents with a DOCTYPE (DTD) are not accepted");
  xmlParserCtxtPtr parser = xmlNewParserCtxt();
  if (!parser) throw core::ServerError("cannot create an XML parser");
  // No DTD loading, no entity substitution, no network; errors are collected, not printed.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT;
  XmlDocPtr doc(xmlCtxtReadMemory(parser, xml.data(), static_cast<int>(xml.size()), "iso19139.xml", nullptr, options));
  std::string why;
  if (!doc) {
    const xmlError* error = xmlCtxtGetLastError(parser);
    why = error && error->message ? "line " + std::to_string(error->line) + ": " + error->message : "unreadable";
    while (!why.empty() && why.back() == '\n') why.pop_back();
  }
  xmlFreeParserCtxt(parser);
  if (!doc) throw core::ParsingFailed(locator, "the XML cannot be read: " + why);
  if (doc->intSubset || doc->extSubset)
    throw core::ParsingFailed(locator, "XML documents with a DOCTYPE (DTD) are not accepted");
  if (const auto messages = validate(doc.get()); !messages.empty())
    throw core::InvalidValue(locator, "the document is not valid ISO 19139 (gmd 2006-05-04): " + joined(messages));
  return doc;
}

}  // namespace amis::catalog
