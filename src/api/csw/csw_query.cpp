#include "api/csw/csw_query.hpp"

#include <charconv>

#include "api/csw/csw_documents.hpp"
#include "api/csw/csw_queryables.hpp"
#include "catalog/queryables.hpp"
#include "core/crs.hpp"
#include "core/error.hpp"
#include "query/cql2.hpp"
#include "query/fes.hpp"

namespace amis::api::csw {
namespace {

struct MissingParameter : core::OgcError {
  explicit MissingParameter(const std::string& name)
      : core::OgcError(400, "MissingParameterValue", "the parameter '" + name + "' is required", name) {}
};

std::int64_t positive_integer(const std::string& text, const char* name, std::int64_t min, std::int64_t max) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v < min || v > max)
    throw core::InvalidParameter(name, "'" + text.substr(0, 20) + "' is not an integer from " + std::to_string(min) +
                                           " to " + std::to_string(max));
  return v;
}

ElementSet element_set_of(const CswRequest& r, ElementSet fallback) {
  if (!r.element_names.empty())
    throw core::InvalidParameter("ElementName", "this server answers ElementSetName (brief, summary, full) only");
  const auto& esn = r.element_set_name;
  if (esn.empty()) return fallback;
  if (esn == "brief") return ElementSet::Brief;
  if (esn == "summary") return ElementSet::Summary;
  if (esn == "full") return ElementSet::Full;
  throw core::InvalidParameter("ElementSetName", "'" + esn.substr(0, 40) + "' is not brief, summary or full");
}

OutputSchema output_schema_of(const CswRequest& r) {
  const auto& s = r.output_schema;
  if (s.empty() || s == kCswNamespace || s == "csw:Record") return OutputSchema::DublinCore;
  // csw:IsoRecord: how GeoNetwork and clients made for it name the ISO schema
  if (s == kGmdNamespace || s == "gmd:MD_Metadata" || s == "csw:IsoRecord") return OutputSchema::Iso19139;
  throw core::InvalidParameter("outputSchema", "'" + s.substr(0, 80) + "' is not " + kCswNamespace + " or " +
                                                   kGmdNamespace);
}

void check_output_format(const CswRequest& r) {
  const auto& f = r.output_format;
  if (!f.empty() && f != "application/xml" && f != "text/xml")
    throw core::InvalidParameter("outputFormat", "'" + f.substr(0, 40) + "' is not application/xml");
}

void check_type_names(const std::vector<std::string>& names) {
  for (const auto& t : names) {
    const auto colon = t.find(':');
    const std::string local = colon == std::string::npos ? t : t.substr(colon + 1);
    if (local != "Record" && local != "MD_Metadata")
      throw core::InvalidParameter("typeNames", "'" + t.substr(0, 60) + "' is not csw:Record or gmd:MD_Metadata");
  }
}

// BBOX(ows:BoundingBox, minx, miny, maxx, maxy) of OGC CQL (07-006r1 6.2.2)
// is CQL2's S_INTERSECTS(ows:BoundingBox, BBOX(minx, miny, maxx, maxy)); its
// coordinates are longitude, latitude. One pass; a BBOX( whose first argument is
// not a name (CQL2's own BBOX literal) is left as it is.
std::string cql2_spelling(std::string_view text) {
  constexpr std::size_t kMaxName = 256, kMaxArguments = 1024;
  auto is_bbox_at = [&](std::size_t i) {
    if (i + 4 > text.size() || (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '_')))
      return false;
    for (std::size_t k = 0; k < 4; ++k)
      if (std::toupper(static_cast<unsigned char>(text[i + k])) != "BBOX"[k]) return false;
    return true;
  };
  std::string out;
  out.reserve(text.size() + 64);
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\'') {  // a string literal is copied as it is
      const auto end = text.find('\'', i + 1);
      const auto stop = end == std::string_view::npos ? text.size() : end + 1;
      out.append(text.substr(i, stop - i));
      i = stop;
      continue;
    }
    if (!is_bbox_at(i)) {
      out += text[i++];
      continue;
    }
    std::size_t open = i + 4;
    while (open < text.size() && text[open] == ' ') ++open;
    std::size_t name = open + 1;
    while (name < text.size() && text[name] == ' ') ++name;
    const auto comma = open < text.size() && text[open] == '(' ? text.substr(0, name + kMaxName).find(',', name)
                                                              : std::string_view::npos;
    const auto close = comma == std::string_view::npos ? comma : text.substr(0, comma + kMaxArguments).find(')', comma);
    const bool names_property = close != std::string_view::npos && comma > name &&
                                (std::isalpha(static_cast<unsigned char>(text[name])) || text[name] == '"');
    if (!names_property) {
      out += text[i++];
      continue;
    }
    out += "S_INTERSECTS(";
    out.append(text.substr(name, comma - name));
    out += ", BBOX(";
    out.append(text.substr(comma + 1, close - comma - 1));
    out += "))";
    i = close + 1;
  }
  return out;
}

core::Expression read_constraint(const CswRequest& r) {
  std::string language = r.constraint_language;
  for (auto& c : language) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (language.empty() && !r.xml) throw MissingParameter("CONSTRAINTLANGUAGE");
  if (language == "FILTER") {
    static const core::SrsName kEpsg4326 = *core::parse_srs_name("urn:ogc:def:crs:EPSG::4326");
    const query::FesContext context{csw_filter_vocabulary(), kEpsg4326};
    try {
      auto filter = query::parse_fes_filter_text(r.constraint, context);
      if (!filter.resource_ids.empty())
        throw core::InvalidParameter("Constraint", "ogc:FeatureId/GmlObjectId: use GetRecordById");
      return to_catalog_filter(*filter.expression);
    } catch (const core::OgcError& e) {
      if (e.status() >= 500) throw;
      throw core::OgcError(e.status(), e.code(), e.what(), "Constraint");
    }
  }
  if (language == "CQL_TEXT") {
    if (r.constraint.size() > query::kMaxFilterBytes) throw core::InvalidParameter("Constraint", "too long");
    try {
      return to_catalog_filter(query::parse_cql2_text(cql2_spelling(r.constraint)));
    } catch (const core::OgcError& e) {
      if (e.status() >= 500) throw;
      throw core::OgcError(e.status(), e.code(), e.what(), "Constraint");
    }
  }
  throw core::InvalidParameter("CONSTRAINTLANGUAGE", "'" + language.substr(0, 20) + "' is not FILTER or CQL_TEXT");
}

std::vector<core::SortKey> sort_keys(const std::vector<CswSortKey>& keys) {
  std::vector<core::SortKey> out;
  for (const auto& key : keys) {
    const CswQueryable* q = find_csw_queryable(key.property);
    if (!q || !q->sortable)
      throw core::InvalidParameter("SortBy", "'" + key.property.substr(0, 60) + "' is not a sortable queryable");
    out.push_back({std::string(q->catalog), key.descending});
  }
  return out;
}

}  // namespace

const char* schema_namespace(OutputSchema schema) {
  return schema == OutputSchema::Iso19139 ? kGmdNamespace : kCswNamespace;
}

RecordsQuery get_records_query(const CswRequest& r) {
  RecordsQuery out;
  if (r.type_names.empty()) throw MissingParameter("typeNames");
  check_type_names(r.type_names);
  check_output_format(r);
  out.schema = output_schema_of(r);
  out.element_set = element_set_of(r, ElementSet::Summary);
  if (r.result_type.empty() || r.result_type == "hits") out.hits_only = true;
  else if (r.result_type == "results") out.hits_only = false;
  else if (r.result_type == "validate")
    throw core::InvalidParameter("resultType", "validate is not offered; ask for hits or results");
  else throw core::InvalidParameter("resultType", "'" + r.result_type.substr(0, 20) + "' is not hits or results");
  if (r.start_position)
    out.start_position = positive_integer(*r.start_position, "startPosition", 1, std::int64_t{1} << 53);
  out.max_records = r.max_records ? positive_integer(*r.max_records, "maxRecords", 0, kMaxRecordsPerPage)
                                  : kDefaultMaxRecords;
  if (!r.response_handler.empty())
    throw core::InvalidParameter("ResponseHandler", "asynchronous responses are not offered");
  if (!r.constraint.empty()) set_filter(out.query, read_constraint(r));
  else if (!r.constraint_language.empty() && !r.xml) throw MissingParameter("Constraint");
  out.query.sortby = sort_keys(r.sort_by);
  out.query.offset = out.start_position - 1;
  out.query.limit = out.hits_only ? 0 : out.max_records;
  out.query.count = true;
  return out;
}

RecordsQuery get_record_by_id_query(const CswRequest& r) {
  RecordsQuery out;
  if (r.ids.empty()) throw MissingParameter("Id");
  check_output_format(r);
  out.schema = output_schema_of(r);
  out.element_set = element_set_of(r, ElementSet::Summary);
  out.hits_only = false;
  out.query.ids = r.ids;
  out.query.limit = static_cast<std::int64_t>(r.ids.size());
  out.query.count = false;
  return out;
}

}  // namespace amis::api::csw
