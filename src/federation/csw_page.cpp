#include "federation/csw_page.hpp"

#include <charconv>
#include <functional>
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

// The record's content (element names with their namespaces, attributes, text) as
// a stream of strings, each ended by a separator byte no XML text holds: the same
// record sent again gives the same digest, without serialising it.
void feed(const std::function<void(std::string_view)>& add, xml::Node n, int depth = 0) {
  if (depth > 256) return;
  const auto text = [](const xmlChar* t) { return t ? std::string_view(reinterpret_cast<const char*>(t)) : std::string_view(); };
  for (; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE) {
      add(text(n->ns ? n->ns->href : nullptr));
      add(text(n->name));
      for (const xmlAttr* a = n->properties; a; a = a->next) {
        add(text(a->name));
        if (a->children) add(text(a->children->content));
      }
      feed(add, n->children, depth + 1);
      add("\x01");  // the element's end
    } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      add(text(n->content));
    }
  }
}

std::string record_digest(xml::Node n) {
  DigestBuilder digest;
  const auto add = [&digest](std::string_view s) {
    digest.add(s);
    digest.add(std::string_view("\0", 1));
  };
  const auto* node = n;
  add(std::string_view(reinterpret_cast<const char*>(node->name)));
  feed(add, node->children);
  return digest.hex();
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
    item.digest = record_digest(n);
    item.read = [doc, n, &schema] {
      const auto record = standalone(n);
      return catalog::read_iso19139(record.get(), schema);
    };
    out.page.items.push_back(std::move(item));
  }
  return out;
}

}  // namespace amis::federation
