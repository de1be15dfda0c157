#pragma once
// A metadata record of the catalogue (issue 15): the ISO 19115 core elements that
// describe one resource (a dataset, a series, a service, a document, a map), in the
// words of ISO 19115 and of OGC API - Records. Every encoder (ISO 19139, Records
// GeoJSON, Dublin Core, HTML) and every store backend reads and writes this one type;
// none of them sees another's form.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/datetime.hpp"
#include "core/envelope.hpp"

namespace amis::catalog {

// The kind of resource a record describes (OGC API - Records `type`). The ISO
// 19139 encoding maps it to an MD_ScopeCode (iso_scope_code).
inline constexpr std::string_view kResourceTypes[] = {"dataset", "series", "service", "document",
                                                      "map",     "collection", "software", "model"};
bool is_resource_type(std::string_view type);
// MD_ScopeCode for hierarchyLevel: dataset, series, service, software, model as
// such; document, map and collection as "nonGeographicDataset"/"dataset".
std::string_view iso_scope_code(std::string_view type);

// Keywords from one thesaurus (ISO 19115 MD_Keywords); an empty thesaurus is
// free keywords. `type` is an MD_KeywordTypeCode: theme, place, discipline,
// stratum, temporal (empty: none given).
struct KeywordGroup {
  std::vector<std::string> keywords;
  std::string thesaurus;      // its title, e.g. "GEMET - INSPIRE themes, version 1.0"
  std::string thesaurus_uri;  // e.g. "http://inspire.ec.europa.eu/theme"
  std::string type;
};

// ISO 19115 CI_RoleCode values.
inline constexpr std::string_view kPartyRoles[] = {
    "resourceProvider", "custodian", "owner",     "user",   "distributor", "originator",
    "pointOfContact",   "principalInvestigator", "processor", "publisher", "author"};
bool is_party_role(std::string_view role);

// ISO 19115 CI_ResponsibleParty.
struct ResponsibleParty {
  std::string individual;
  std::string organisation;
  std::string position;
  std::string email;
  std::string url;
  std::string role = "pointOfContact";  // a CI_RoleCode
};

// A distribution link (ISO 19115 CI_OnlineResource; OGC API - Records link).
struct Link {
  std::string href;
  std::string rel;          // "item", "alternate", "service", "enclosure", "describedby", ...
  std::string type;         // media type, e.g. "application/geo+json"
  std::string protocol;     // e.g. "OGC:WMS", "OGC:WFS", "OGC:WMTS", "OGC API - Features", "WWW:DOWNLOAD-1.0-http--download"
  std::string name;         // the layer/feature type name at the service
  std::string title;
  std::string format;       // a format name for the distribution ("GeoJSON", "GeoPackage"): the `format` facet
};

// An identifier of the resource in another scheme (OGC API - Records externalIds).
struct ExternalId {
  std::string scheme;  // e.g. "https://doi.org", a national node's URL; empty: none
  std::string value;
};

// Where a harvested or imported record came from (empty for records made here).
struct Provenance {
  std::string source_node;      // the harvested node's id or URL
  std::string source_id;        // the record's identifier there
  std::string harvested_at;     // RFC 3339 UTC
  std::string source_modified;  // its dateStamp / updated there, RFC 3339
};

// Who keeps the record: the store, from AMIS's own collections, raster layers and
// styles (kept current by it); people (editors, reviewers, an import); a harvest.
enum class RecordOrigin { Derived, Authored, Harvested };
std::string_view to_string(RecordOrigin origin);
// @throws core::InvalidValue for another word.
RecordOrigin parse_record_origin(std::string_view text);

struct Record {
  std::string id;  // gmd:fileIdentifier; the OGC API record id ([A-Za-z0-9._:-], at most 256)
  std::string type = "dataset";
  std::string title;
  std::string abstract;
  std::vector<KeywordGroup> keywords;
  std::vector<std::string> topic_categories;  // ISO MD_TopicCategoryCode: "geoscientificInformation", ...
  std::vector<ResponsibleParty> contacts;
  std::string lineage;
  std::string licence;                   // a licence name, SPDX id or URL
  std::vector<std::string> constraints;  // other use/access constraints, each a sentence
  std::string attribution;
  std::optional<core::Envelope> extent;        // CRS84
  std::optional<core::TimeInterval> temporal_extent;
  std::string reference_system;  // a CRS URI, e.g. "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
  std::string update_frequency;  // ISO MD_MaintenanceFrequencyCode: "continual", "asNeeded", ...
  std::string language = "eng";  // ISO 639-2/B of the resource
  std::vector<Link> links;       // distribution links
  std::vector<ExternalId> external_ids;
  std::string parent_id;         // parentIdentifier (a series, a service's dataset); empty: none
  std::string country;           // ISO 3166 alpha-3 of the member state it is about; empty: regional
  std::string created;           // dates of the resource, RFC 3339 or YYYY-MM-DD; empty: unknown
  std::string revised;
  std::string published;
  std::string thumbnail;         // href of a browse graphic
  std::optional<std::int64_t> feature_count;  // for AMIS collections
  RecordOrigin origin = RecordOrigin::Authored;
  std::optional<Provenance> provenance;  // set for harvested and imported records
  std::string updated;  // when the record last changed (gmd:dateStamp), RFC 3339 UTC, set by the store

  // Every keyword of every group, in order.
  std::vector<std::string> all_keywords() const;
  // The distinct format names of the distribution links, in order.
  std::vector<std::string> formats() const;
};

// The record's id is one an OGC API path segment and an XML id can carry.
bool is_valid_record_id(std::string_view id);

// Checks what every encoder relies on: a valid id, a title, a known type, CRS84
// extent within [-180,180]x[-90,90] with min <= max, known party roles.
// @throws core::InvalidValue naming the element at fault.
void validate(const Record& record);

}  // namespace amis::catalog
