#pragma once
// The ISO/TS 19139 schemas (gmd, srv, gmx of 2006-05-04, the gmd of the CSW ISO
// Application Profile 1.0) compiled once by libxml2, and the safe reading of ISO
// documents against them: no DTD, no entity, nothing from the network.
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

using xmlDoc = struct _xmlDoc;

namespace amis::catalog {

// An ISO document read by libxml2; frees it when destroyed.
struct XmlDocFree {
  void operator()(xmlDoc* doc) const;
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

inline constexpr std::size_t kMaxIsoDocumentBytes = 8 * 1024 * 1024;

// Parses XML the safe way for any document from outside: at most `max_bytes`, no
// DOCTYPE (so no entity expansion, no XXE), nothing loaded from the network.
// @throws core::ParsingFailed(locator, ...) for a document that breaks one of these
// or is not well-formed.
XmlDocPtr read_safe_xml(std::string_view xml, const char* locator, std::size_t max_bytes);

// Whether the document has a DOCTYPE (XML 1.0, 2.8: before the root element); found
// by scanning the text, before any parser sees it.
bool has_doctype(std::string_view xml);

class IsoSchema {
 public:
  // Compiles the schemas under `schema_root` (static/schemas: iso/19139/20060504/...,
  // w3c/1999/xlink.xsd); their http:// locations are mapped onto those files.
  // @throws core::ServerError when a schema is missing or does not compile.
  explicit IsoSchema(const std::filesystem::path& schema_root);
  ~IsoSchema();
  IsoSchema(const IsoSchema&) = delete;
  IsoSchema& operator=(const IsoSchema&) = delete;

  // Parses `xml` (at most kMaxIsoDocumentBytes, no DOCTYPE) and validates it.
  // @throws core::ParsingFailed(locator, ...) for a document that is not
  // well-formed or holds a DTD; core::InvalidValue(locator, ...) with the schema's
  // messages (line and text, at most ten) for one that does not validate.
  // Thread-safe: the compiled schema is shared, each call has its own context.
  XmlDocPtr read(std::string_view xml, const char* locator) const;

  // @throws core::InvalidValue(locator, ...) with the schema's messages for a
  // parsed document that does not validate.
  void check(xmlDoc* doc, const char* locator) const;

  // The schema's messages for a parsed document; empty when it is valid.
  std::vector<std::string> validate(xmlDoc* doc) const;

 private:
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

// The schemas compiled at their first use: a server compiles them only when a
// client sends an ISO document.
class IsoSchemaOnce {
 public:
  explicit IsoSchemaOnce(std::filesystem::path schema_root) : root_(std::move(schema_root)) {}
  // @throws core::ServerError as IsoSchema's constructor (and tries again next time).
  const IsoSchema& get();

 private:
  std::filesystem::path root_;
  std::once_flag once_;
  std::unique_ptr<IsoSchema> schema_;
};

}  // namespace amis::catalog
