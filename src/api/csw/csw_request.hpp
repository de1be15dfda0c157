#pragma once
// A CSW 2.0.2 request as the client sent it, from either encoding: KVP (GET, or
// a form POST) or an XML document (POST, OGC 07-006r1 10.x). Both fill the same
// fields with the KVP spelling of their values; csw_service gives them types.
#include <optional>
#include <string>
#include <vector>

#include "http/request.hpp"

namespace pugi {
class xml_node;
}

namespace amis::api::csw {

struct CswSortKey {
  std::string property;  // as written ("dc:title", "apiso:Modified")
  bool descending = false;
};

struct CswRequest {
  std::string operation;  // "GetCapabilities", "GetRecords", ...
  std::string service;
  std::string version;
  std::string accept_versions;
  std::string accept_formats;
  std::vector<std::string> type_names;  // GetRecords typeNames, DescribeRecord typeName
  std::string element_set_name;         // brief, summary, full; empty: the operation's default
  std::vector<std::string> element_names;
  std::string output_schema;
  std::string output_format;
  std::string schema_language;  // DescribeRecord
  std::string result_type;      // hits, results, validate
  std::optional<std::string> start_position;
  std::optional<std::string> max_records;
  std::string constraint_language;  // FILTER, CQL_TEXT
  std::string constraint;           // the ogc:Filter document or the CQL text
  std::vector<CswSortKey> sort_by;
  std::vector<std::string> ids;     // GetRecordById
  std::string parameter_name;       // GetDomain
  std::string property_name;        // GetDomain
  std::string response_handler;
  // csw:DistributedSearch (KVP distributedSearch=true), with its hopCount as written
  // (the schema's default 2 when absent).
  bool distributed_search = false;
  std::optional<std::string> hop_count;
  std::optional<std::string> deadline;  // KVP deadline=MS: the time left of the search that asked this one
  bool xml = false;  // came as an XML document
};

// KVP: parameter names in any case (OGC 06-121r3 11.5.2). A parameter given
// twice with different values is refused.
// @throws core::OgcError for malformed values.
CswRequest parse_kvp_request(const http::Request& request);

// @throws core::ParsingFailed for a document that is not a CSW request (or
// holds a DTD, or is too large).
CswRequest parse_xml_request(std::string_view body);

// A csw:Constraint (an ogc:Filter or a csw:CqlText) into r.constraint_language
// and r.constraint, as GetRecords reads it. @throws core::ParsingFailed.
void read_csw_constraint(const pugi::xml_node& constraint, CswRequest& r);

}  // namespace amis::api::csw
