#include "federation/csw_page.hpp"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include <charconv>
#include <cstring>
#include <map>
#include <memory>
#include <set>

#include "catalog/iso19139_reader.hpp"
#include "core/datetime.hpp"
#include "core/error.hpp"
#include "federation/xml_nodes.hpp"

namespace amis::federation {
namespace {

constexpr std::size_t kMaxFieldBytes = 4096;   // an identifier or a date of a listed record
constexpr std::size_t kMaxExceptionText = 300;  // of an ows:ExceptionReport quoted in the error

std::int64_t count_value(std::string_view v) {
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc{} && end == v.data() + v.size() && out >= 0 ? out : 0;
}

std::string trimmed(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

bool named(const xmlChar* name, const char* local) { return xmlStrEqual(name, reinterpret_cast<const xmlChar*>(local)); }

// The record as a document of its own, with the namespaces it inherited declared.
catalog::XmlDocPtr standalone(xml::Node n) {
  catalog::XmlDocPtr doc(xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0")));
  xmlNodePtr copy = xmlDocCopyNode(const_cast<xmlNode*>(n), doc.get(), 1);
  if (!copy) throw core::ServerError("cannot copy an XML record");
  xmlDocSetRootElement(doc.get(), copy);
  xmlReconciliateNs(doc.get(), copy);
  return doc;
}

// The page's tree, made once and only when a record of it must be read (a new or
// changed record): its gmd:MD_Metadata elements in the page's order.
struct PageTree {
  explicit PageTree(std::string_view page) : text(page) {}
  xml::Node record(std::size_t ordinal) {
    if (!doc) {
      doc = catalog::read_safe_xml(text, "page", kMaxCswPageBytes);
      xml::Node results = xml::child(xmlDocGetRootElement(doc.get()), "SearchResults");
      for (xml::Node n = results ? results->children : nullptr; n; n = n->next)
        if (xml::is(n, "MD_Metadata")) records.push_back(n);
    }
    if (ordinal >= records.size()) throw core::ServerError("a listed record is missing from its page");
    return records[ordinal];
  }
  std::string text;
  catalog::XmlDocPtr doc;
  std::vector<xml::Node> records;
};

// One pass of libxml2's SAX parser over the page, building no tree: the counts of
// csw:SearchResults, and for each of its records the identifier, the date stamp and
// where its element stands in the page's text (for a digest of the record as sent).
class PageScan {
 public:
  explicit PageScan(std::string_view text) : text_(text) {}

  struct Listed {
    std::size_t begin = 0, end = 0;  // the element's bytes in the page
    std::string id, stamp_date_time, stamp_date;
    std::set<std::string> own_prefixes;  // the namespaces its start tag declares itself
  };

  // @throws core::ParsingFailed for a page that is not well-formed.
  void run() {
    xmlSAXHandler sax{};
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = &PageScan::start_element;
    sax.endElementNs = &PageScan::end_element;
    sax.characters = &PageScan::characters;
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(text_.data(), static_cast<int>(text_.size()));
    if (!ctxt) throw core::ServerError("cannot create an XML parser");
    std::memcpy(ctxt->sax, &sax, sizeof sax);
    ctxt->userData = ctxt;
    ctxt->_private = this;
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    ctxt_ = ctxt;
    xmlParseDocument(ctxt);
    const bool well_formed = ctxt->wellFormed != 0;
    std::string why = "unreadable";
    if (const xmlError* error = xmlCtxtGetLastError(ctxt); error && error->message) {
      why = "line " + std::to_string(error->line) + ": " + error->message;
      while (!why.empty() && why.back() == '\n') why.pop_back();
    }
    // Offsets hold only for UTF-8 read as it is (no transcoding from another encoding).
    raw_offsets_ &= ctxt->input && ctxt->input->buf && ctxt->input->buf->encoder == nullptr;
    ctxt_ = nullptr;
    xmlFreeParserCtxt(ctxt);
    if (!well_formed) throw core::ParsingFailed("page", "the XML cannot be read: " + why);
  }

  std::string root;  // the root element's local name
  std::string exception;
  bool has_results = false;
  std::int64_t matched = 0, returned = 0, next_record = 0;
  std::vector<Listed> records;
  std::vector<HarvestFailure> failures;  // other elements than gmd:MD_Metadata in the results
  // The namespaces a record uses without declaring them: those of the root and of
  // csw:SearchResults, by prefix. Kept once per page, not once per record.
  std::map<std::string, std::string> inherited;
  bool raw_offsets() const { return raw_offsets_; }

 private:
  static PageScan& of(void* ctx) { return *static_cast<PageScan*>(static_cast<xmlParserCtxtPtr>(ctx)->_private); }

  // Where the parser stands in the page's text.
  std::size_t position() const {
    const xmlParserInputPtr in = ctxt_->input;
    return static_cast<std::size_t>(in->consumed) + static_cast<std::size_t>(in->cur - in->base);
  }

  static void start_element(void* ctx, const xmlChar* local, const xmlChar*, const xmlChar*, int nb_namespaces,
                            const xmlChar** namespaces, int nb_attributes, int, const xmlChar** attributes) {
    auto& s = of(ctx);
    ++s.depth_;
    if (s.depth_ <= 2) s.inherit(nb_namespaces, namespaces);
    if (s.depth_ == 1) {
      s.root = reinterpret_cast<const char*>(local);
    } else if (s.depth_ == 2 && s.root == "GetRecordsResponse" && named(local, "SearchResults")) {
      s.has_results = true;
      s.in_results_ = true;
      for (int i = 0; i < nb_attributes; ++i) {
        const xmlChar** a = attributes + 5 * i;  // localname, prefix, URI, value, end
        const std::string_view value(reinterpret_cast<const char*>(a[3]), static_cast<std::size_t>(a[4] - a[3]));
        if (named(a[0], "numberOfRecordsMatched")) s.matched = count_value(value);
        else if (named(a[0], "numberOfRecordsReturned")) s.returned = count_value(value);
        else if (named(a[0], "nextRecord")) s.next_record = count_value(value);
      }
    } else if (s.depth_ == 3 && s.in_results_) {
      ++s.position_in_results_;
      if (!named(local, "MD_Metadata")) {
        s.failures.push_back({"record " + std::to_string(s.position_in_results_),
                              "not a gmd:MD_Metadata (outputSchema ignored?)"});
        return;
      }
      s.in_record_ = true;
      Listed listed;
      // The start tag was read up to its '>': it began at the last '<' before (none can
      // stand in an attribute's value).
      const std::size_t at = s.text_.rfind('<', std::min(s.position(), s.text_.size() - 1));
      if (at == std::string_view::npos) s.raw_offsets_ = false;
      listed.begin = at == std::string_view::npos ? 0 : at;
      for (int i = 0; i < nb_namespaces; ++i) listed.own_prefixes.insert(prefix_text(namespaces[2 * i]));
      s.records.push_back(std::move(listed));
    } else if (s.in_record_ && s.depth_ == 4) {
      s.field_ = named(local, "fileIdentifier") ? Field::Id : named(local, "dateStamp") ? Field::Stamp : Field::None;
    } else if (s.in_record_ && s.depth_ == 5 && s.field_ != Field::None) {
      if (s.field_ == Field::Id && named(local, "CharacterString")) s.capture_ = &s.records.back().id;
      else if (s.field_ == Field::Stamp && named(local, "DateTime")) s.capture_ = &s.records.back().stamp_date_time;
      else if (s.field_ == Field::Stamp && named(local, "Date")) s.capture_ = &s.records.back().stamp_date;
    }
  }

  static void end_element(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
    auto& s = of(ctx);
    if (s.depth_ == 5) s.capture_ = nullptr;
    if (s.depth_ == 4) s.field_ = Field::None;
    if (s.depth_ == 3 && s.in_record_) {
      s.in_record_ = false;
      auto& r = s.records.back();
      // The end tag's '>' was read, or is the next '>' to come.
      std::size_t end = std::min(s.position(), s.text_.size());
      if (end == 0 || s.text_[end - 1] != '>') {
        const std::size_t close = s.text_.find('>', end);
        if (close == std::string_view::npos) s.raw_offsets_ = false;
        else end = close + 1;
      }
      r.end = end;
      if (r.end <= r.begin) s.raw_offsets_ = false;
    }
    if (s.depth_ == 2) s.in_results_ = false;
    --s.depth_;
  }

  static void characters(void* ctx, const xmlChar* ch, int len) {
    auto& s = of(ctx);
    if (s.capture_) {
      if (s.capture_->size() + static_cast<std::size_t>(len) <= kMaxFieldBytes)
        s.capture_->append(reinterpret_cast<const char*>(ch), static_cast<std::size_t>(len));
    } else if (s.root == "ExceptionReport" && s.exception.size() < kMaxExceptionText + 1) {
      s.exception.append(reinterpret_cast<const char*>(ch),
                         std::min<std::size_t>(static_cast<std::size_t>(len), kMaxExceptionText + 1 - s.exception.size()));
    }
  }

  static std::string prefix_text(const xmlChar* prefix) {
    return prefix ? reinterpret_cast<const char*>(prefix) : "";  // empty: the default namespace
  }

  // Namespaces declared on the root and on csw:SearchResults (the inner one wins).
  void inherit(int count, const xmlChar** pairs) {
    for (int i = 0; i < count; ++i)
      inherited[prefix_text(pairs[2 * i])] = pairs[2 * i + 1] ? reinterpret_cast<const char*>(pairs[2 * i + 1]) : "";
  }

  enum class Field { None, Id, Stamp };

  std::string_view text_;
  xmlParserCtxtPtr ctxt_ = nullptr;
  int depth_ = 0;
  bool in_results_ = false;
  bool in_record_ = false;
  std::int64_t position_in_results_ = 0;
  Field field_ = Field::None;
  std::string* capture_ = nullptr;
  bool raw_offsets_ = true;
};

// The inherited declarations a record's start tag does not make itself, as attributes.
std::string missing_declarations(const std::map<std::string, std::string>& inherited,
                                 const std::set<std::string>& own_prefixes) {
  std::string out;
  for (const auto& [prefix, uri] : inherited) {
    if (own_prefixes.count(prefix)) continue;
    out += prefix.empty() ? " xmlns=\"" : " xmlns:" + prefix + "=\"";
    for (const char c : uri) {
      if (c == '"') out += "&quot;";
      else if (c == '&') out += "&amp;";
      else if (c == '<') out += "&lt;";
      else out += c;
    }
    out += '"';
  }
  return out;
}

// Whether each listed record's bytes are its gmd:MD_Metadata element, start tag to end tag.
bool slices_hold(const PageScan& scan, std::string_view text) {
  for (const auto& r : scan.records) {
    if (r.end > text.size() || r.begin >= r.end) return false;
    const std::string_view slice = text.substr(r.begin, r.end - r.begin);
    const std::size_t name_end = slice.find_first_of(" \t\r\n/>");
    if (name_end == std::string_view::npos || !slice.substr(0, name_end).ends_with("MD_Metadata") ||
        slice.back() != '>')
      return false;
  }
  return true;
}

}  // namespace

CswRecordsPage read_csw_records_page(std::string_view text, const catalog::IsoSchema& schema) {
  if (text.size() > kMaxCswPageBytes)
    throw core::ParsingFailed("page", "the XML document is larger than " + std::to_string(kMaxCswPageBytes >> 20) + " MiB");
  if (catalog::has_doctype(text)) throw core::ParsingFailed("page", "XML documents with a DOCTYPE (DTD) are not accepted");
  PageScan scan(text);
  scan.run();
  if (scan.root == "ExceptionReport") {
    std::string quoted = trimmed(scan.exception.substr(0, kMaxExceptionText + 1));
    if (quoted.size() > kMaxExceptionText) quoted = quoted.substr(0, kMaxExceptionText) + "...";
    throw core::ParsingFailed("page", "the node answered with an exception: " + quoted);
  }
  if (scan.root != "GetRecordsResponse") throw core::ParsingFailed("page", "the answer is no csw:GetRecordsResponse");
  if (!scan.has_results) throw core::ParsingFailed("page", "the answer has no csw:SearchResults");
  CswRecordsPage out;
  out.matched = scan.matched;
  out.returned = scan.returned;
  out.next_record = scan.next_record;
  out.page.failures = std::move(scan.failures);
  out.digests_of_the_text = scan.raw_offsets() && slices_hold(scan, text);
  // What read() needs later: the page's text, or its tree for a page in another encoding.
  auto page_text = out.digests_of_the_text ? std::make_shared<const std::string>(text) : nullptr;
  auto inherited = std::make_shared<const std::map<std::string, std::string>>(std::move(scan.inherited));
  auto tree = out.digests_of_the_text ? nullptr : std::make_shared<PageTree>(text);
  std::size_t ordinal = 0;
  for (auto& listed : scan.records) {
    SourceItem item;
    item.source_id = trimmed(std::move(listed.id));
    const std::string stamp = trimmed(listed.stamp_date_time.empty() ? listed.stamp_date : listed.stamp_date_time);
    item.source_modified = core::parse_instant(stamp).value_or("");
    if (out.digests_of_the_text) {
      item.digest = content_digest(text.substr(listed.begin, listed.end - listed.begin));
    } else {  // another encoding than UTF-8: the record's serialisation in the tree
      const xml::Node n = tree->record(ordinal);
      xmlBufferPtr buffer = xmlBufferCreate();
      xmlNodeDump(buffer, tree->doc.get(), const_cast<xmlNode*>(n), 0, 0);
      item.digest = content_digest(std::string_view(reinterpret_cast<const char*>(xmlBufferContent(buffer)),
                                                    static_cast<std::size_t>(xmlBufferLength(buffer))));
      xmlBufferFree(buffer);
    }
    if (out.digests_of_the_text) {
      // The record's own bytes made a document: its start tag given the namespaces it inherits.
      item.read = [page_text, inherited, begin = listed.begin, end = listed.end,
                   own = std::move(listed.own_prefixes), &schema] {
        const std::string_view slice = std::string_view(*page_text).substr(begin, end - begin);
        const std::size_t name_end = slice.find_first_of(" \t\r\n/>");
        const std::string declarations = missing_declarations(*inherited, own);
        std::string document;
        document.reserve(slice.size() + declarations.size());
        document.append(slice.substr(0, name_end)).append(declarations).append(slice.substr(name_end));
        const auto record = catalog::read_safe_xml(document, "record", catalog::kMaxIsoDocumentBytes);
        return catalog::read_iso19139(record.get(), schema);
      };
    } else {
      item.read = [tree, ordinal, &schema] {
        const auto record = standalone(tree->record(ordinal));
        return catalog::read_iso19139(record.get(), schema);
      };
    }
    out.page.items.push_back(std::move(item));
    ++ordinal;
  }
  return out;
}

}  // namespace amis::federation
