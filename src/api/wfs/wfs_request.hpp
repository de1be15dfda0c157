#pragma once
// A WFS request as the client sent it, from either encoding: KVP (GET, or a
// form POST) or an XML document (POST). Both fill the same fields with the KVP
// spelling of their values, so one step (wfs_service) gives them their types.
#include <optional>
#include <string>
#include <vector>

#include "http/request.hpp"

namespace amis::api::wfs {

inline constexpr const char* kGetFeatureById = "urn:ogc:def:query:OGC-WFS::GetFeatureById";

struct WfsRequest {
  std::string operation;  // "GetCapabilities", "GetFeature", ...
  std::string version;    // as given; empty when absent
  std::string accept_versions;
  std::string service;
  std::vector<std::string> type_names;  // prefixes kept ("amis:coal_mines")
  std::string srs_name;
  std::string bbox;
  std::string filter;  // FES XML
  std::string resource_id;
  std::string sortby;         // "name ASC,capacity DESC"
  std::vector<std::string> property_names;
  std::string value_reference;
  std::string output_format;
  std::string result_type;
  std::optional<std::string> count;
  std::optional<std::string> start_index;
  std::string stored_query_id;
  std::vector<std::string> stored_query_ids;  // DescribeStoredQueries
  std::string id;  // the ID parameter of GetFeatureById
  std::vector<std::string> amis_prefixes;  // prefixes the request binds to the amis namespace
  bool xml = false;  // came as an XML document
};

// KVP: parameter names are case-insensitive (WFS 2.0, 6.2.5.2).
// A parameter repeated (or given under its alias) with the same value counts once.
// @throws core::OgcError for a parameter given twice with different values, or
// malformed lists.
WfsRequest parse_kvp_request(const http::Request& request);

// @throws core::ParsingFailed for a document that is not a WFS request.
WfsRequest parse_xml_request(std::string_view body);

}  // namespace amis::api::wfs
