#include "catalog/iso_schema.hpp"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>

#include <cstring>
#include <mutex>
#include <utility>

#include "core/error.hpp"

namespace amis::catalog {
namespace {

constexpr std::size_t kMaxMessages = 10;
constexpr const char* kGml32Namespace = "http://www.opengis.net/gml/3.2";

// The http:// locations of the schemas → their folders under the schema root.
constexpr std::pair<std::string_view, std::string_view> kLocations[] = {
    {"http://schemas.opengis.net/iso/19139/20060504/", "iso/19139/20060504/"},
    {"http://schemas.opengis.net/iso/19139/20070417/", "iso/19139/20070417/"},
    {"http://standards.iso.org/ittf/PubliclyAvailableStandards/ISO_19139_Schemas/", "iso/19139/20070417/"},
    {"http://schemas.opengis.net/gml/3.2.1/", "gml/3.2.1/"},
    {"http://schemas.opengis.net/gml/3.1.1/smil/", "gml/3.1.1/smil/"},
    {"http://www.w3.org/1999/xlink.xsd", "w3c/1999/xlink.xsd"},
    {"http://www.w3.org/2001/xml.xsd", "w3c/2001/xml.xsd"},
    {"http://www.w3.org/XML/1998/namespace", "w3c/2001/xml.xsd"},
};

// One schema root per flavour holds gmd (metadata), srv (service metadata) and gmx
// (its extended types: gmx:Anchor, gmx:FileName) by their canonical locations:
// 2006-05-04 with its GML 3.1.1 subset (the ISO AP 1.0), 2007-04-17 with GML 3.2.1.
std::string root_schema(std::string_view version) {
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:amis:iso19139-validation">)";
  for (const char* part : {"gmd", "srv", "gmx"}) {
    const std::string folder = std::string(part) == "srv" && version == "20070417" ? "srv/1.0" : part;
    out += std::string("<xs:import namespace=\"http://www.isotc211.org/2005/") + part +
           "\" schemaLocation=\"http://schemas.opengis.net/iso/19139/" + std::string(version) + "/" + folder + "/" +
           part + ".xsd\"/>";
  }
  return out + "</xs:schema>";
}

// The schema files while they compile: libxml2's entity loader is process-wide,
// so compiling is serialised and the loader is put back afterwards.
std::mutex g_compile_mutex;
std::filesystem::path g_root;

// Maps the schemas' http:// locations onto the local copies and refuses every
// other location: compiling never touches the network or a file outside the root.
xmlParserInputPtr local_schema_loader(const char* url, const char*, xmlParserCtxtPtr context) {
  const std::string_view u = url ? url : "";
  std::filesystem::path local;
  for (const auto& [prefix, folder] : kLocations)
    if (u.starts_with(prefix)) {
      local = g_root / (std::string(folder) + std::string(u.substr(prefix.size())));
      break;
    }
  if (local.empty() && u.find("://") == std::string_view::npos) local = std::string(u);  // a relative include
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


// Whether the document uses GML 3.2 (the 2007-04-17 flavour of ISO 19139).
bool uses_gml32(const xmlNode* node) {
  for (; node; node = node->next) {
    if (node->type != XML_ELEMENT_NODE) continue;
    for (const xmlNs* ns = node->nsDef; ns; ns = ns->next)
      if (ns->href && std::strcmp(reinterpret_cast<const char*>(ns->href), kGml32Namespace) == 0) return true;
    if (uses_gml32(node->children)) return true;
  }
  return false;
}

xmlSchemaPtr compile(const std::filesystem::path& schema_root, std::string_view version) {
  const std::string root = root_schema(version);
  std::vector<std::string> messages;
  xmlSchemaParserCtxtPtr parser = xmlSchemaNewMemParserCtxt(root.data(), static_cast<int>(root.size()));
  xmlSchemaSetParserStructuredErrors(parser, collect_message, &messages);
  xmlSchemaPtr schema = xmlSchemaParse(parser);
  xmlSchemaFreeParserCtxt(parser);
  if (!schema)
    throw core::ServerError("the ISO 19139 schemas (" + std::string(version) + ") in " + schema_root.string() +
                            " do not compile: " + joined(messages));
  return schema;
}

}  // namespace

void XmlDocFree::operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }

struct IsoSchema::Compiled {
  xmlSchemaPtr iso2006 = nullptr;  // gmd 2006-05-04, GML 3.1.1 (its subset)
  xmlSchemaPtr iso2007 = nullptr;  // gmd 2007-04-17, GML 3.2.1
  ~Compiled() {
    xmlSchemaFree(iso2006);
    xmlSchemaFree(iso2007);
  }
};

IsoSchema::IsoSchema(const std::filesystem::path& schema_root) : compiled_(std::make_unique<Compiled>()) {
  xmlInitParser();
  for (const char* file : {"iso/19139/20060504/gmd/gmd.xsd", "iso/19139/20070417/gmd/gmd.xsd", "gml/3.2.1/gml.xsd"})
    if (!std::filesystem::exists(schema_root / file))
      throw core::ServerError("the ISO 19139 schemas are not in " + schema_root.string() + " (no " + file + ")");
  std::lock_guard lock(g_compile_mutex);
  g_root = std::filesystem::absolute(schema_root);
  const auto previous = xmlGetExternalEntityLoader();
  xmlSetExternalEntityLoader(local_schema_loader);
  try {
    compiled_->iso2006 = compile(schema_root, "20060504");
    compiled_->iso2007 = compile(schema_root, "20070417");
  } catch (...) {
    xmlSetExternalEntityLoader(previous);
    throw;
  }
  xmlSetExternalEntityLoader(previous);
}

IsoSchema::~IsoSchema() = default;

std::vector<std::string> IsoSchema::validate(xmlDoc* doc) const {
  std::vector<std::string> messages;
  const bool gml32 = uses_gml32(xmlDocGetRootElement(doc));
  xmlSchemaValidCtxtPtr context = xmlSchemaNewValidCtxt(gml32 ? compiled_->iso2007 : compiled_->iso2006);
  if (!context) throw core::ServerError("cannot create a schema validation context");
  xmlSchemaSetValidStructuredErrors(context, collect_message, &messages);
  const int result = xmlSchemaValidateDoc(context, doc);
  xmlSchemaFreeValidCtxt(context);
  if (result != 0 && messages.empty()) messages.push_back("the document does not validate");
  return messages;
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

XmlDocPtr read_safe_xml(std::string_view xml, const char* locator, std::size_t max_bytes) {
  if (xml.size() > max_bytes)
    throw core::ParsingFailed(locator, "the XML document is larger than " + std::to_string(max_bytes / (1024 * 1024)) +
                                           " MiB");
  if (has_doctype(xml))
    throw core::ParsingFailed(locator, "XML documents with a DOCTYPE (DTD) are not accepted");
  xmlParserCtxtPtr parser = xmlNewParserCtxt();
  if (!parser) throw core::ServerError("cannot create an XML parser");
  // No DTD loading, no entity substitution, no network; errors are collected, not printed.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT;
  XmlDocPtr doc(xmlCtxtReadMemory(parser, xml.data(), static_cast<int>(xml.size()), "document.xml", nullptr, options));
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
  return doc;
}

void IsoSchema::check(xmlDoc* doc, const char* locator) const {
  if (const auto messages = validate(doc); !messages.empty())
    throw core::InvalidValue(locator, std::string("the document is not valid ISO 19139 (gmd ") +
                                          (uses_gml32(xmlDocGetRootElement(doc)) ? "2007-04-17, GML 3.2.1" : "2006-05-04") +
                                          "): " + joined(messages));
}

XmlDocPtr IsoSchema::read(std::string_view xml, const char* locator) const {
  XmlDocPtr doc = read_safe_xml(xml, locator, kMaxIsoDocumentBytes);
  check(doc.get(), locator);
  return doc;
}

const IsoSchema& IsoSchemaOnce::get() {
  std::call_once(once_, [this] { schema_ = std::make_unique<IsoSchema>(root_); });
  return *schema_;
}

}  // namespace amis::catalog
