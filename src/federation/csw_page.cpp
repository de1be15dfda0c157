#include "federation/csw_page.hpp"

#include <charconv>
#include <memory>

#include "catalog/iso19139_reader.hpp"
#include "core/datetime.hpp"
#include "core/error.hpp"
#include "federation/xml_nodes.hpp"

namespace amis::federation {
namespace {

std::int64_t count_attribute(xml::Node n, const char* name) {
  const std::string v = xml::attribute(n, name);
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc{} && end == v.data() + v.size() && out >= 0 ? out : 0;
}

// The node's XML as it stands in the page (for the digest: the same record sent
// again gives the same text).
std::string node_text(xmlDoc* doc, xml::Node n) {
  xmlBufferPtr buffer = xmlBufferCreate();
  xmlNodeDump(buffer, doc, const_cast<xmlNode*>(n), 0, 0);
  std::string out(reinterpret_cast<const char*>(xmlBufferContent(buffer)), static_cast<std::size_t>(xmlBufferLength(buffer)));
  xmlBufferFree(buffer);
  return out;
}

// The record as a document of its own, with the namespaces it inherited declared.
catalog::XmlDocPtr standalone(xml::Node n) {
  catalog::XmlDocPtr doc(xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0")));
  xmlNodePtr copy = xmlDocCopyNode(const_cast<xmlNode*>(n), doc.get(), 1);
  if (!copy) throw core::ServerError("cannot copy an XML record");
  xmlDocSetRootElement(doc.get(), copy);
  xmlReconciliateNs(doc.get(), copy);
  return doc;
}

std::string exception_text(xml::Node root) {
  std::string text = xml::text(root);
  if (text.size() > 300) text = text.substr(0, 300) + "...";
  return text;
}

}  // namespace

CswRecordsPage read_csw_records_page(std::string_view text, const catalog::IsoSchema& schema) {
  auto doc = std::shared_ptr<xmlDoc>(catalog::read_safe_xml(text, "page", kMaxCswPageBytes).release(), xmlFreeDoc);
  xml::Node root = xmlDocGetRootElement(doc.get());
  if (xml::is(root, "ExceptionReport"))
    throw core::ParsingFailed("page", "the node answered with an exception: " + exception_text(root));
  if (!xml::is(root, "GetRecordsResponse")) throw core::ParsingFailed("page", "the answer is no csw:GetRecordsResponse");
  xml::Node results = xml::child(root, "SearchResults");
  if (!results) throw core::ParsingFailed("page", "the answer has no csw:SearchResults");
  CswRecordsPage out;
  out.matched = count_attribute(results, "numberOfRecordsMatched");
  out.returned = count_attribute(results, "numberOfRecordsReturned");
  out.next_record = count_attribute(results, "nextRecord");
  std::int64_t position = 0;
  for (xml::Node n = results->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    ++position;
    if (!xml::is(n, "MD_Metadata")) {
      out.page.failures.push_back({"record " + std::to_string(position), "not a gmd:MD_Metadata (outputSchema ignored?)"});
      continue;
    }
    SourceItem item;
    item.source_id = xml::text(xml::child(xml::child(n, "fileIdentifier"), "CharacterString"));
    xml::Node stamp = xml::child(n, "dateStamp");
    item.source_modified = xml::text(xml::child(stamp, "DateTime"));
    if (item.source_modified.empty()) item.source_modified = xml::text(xml::child(stamp, "Date"));
    item.source_modified = core::parse_instant(item.source_modified).value_or("");
    item.digest = content_digest(node_text(doc.get(), n));
    item.read = [doc, n, &schema] {
      const auto record = standalone(n);
      return catalog::read_iso19139(record.get(), schema);
    };
    out.page.items.push_back(std::move(item));
  }
  return out;
}

}  // namespace amis::federation
