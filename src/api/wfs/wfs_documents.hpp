#pragma once
// The WFS documents that describe the service: capabilities (2.0.0 and 1.1.0),
// the GML application schema of the feature types (DescribeFeatureType), and
// the stored queries.
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "encode/gml_geometry.hpp"

namespace amis::api::wfs {

struct ServiceDescription {
  std::string title;
  std::string description;
  std::string base_url;  // "http://host:port", the service is at base_url + "/wfs"
  bool transactional = false;  // Transaction is offered
};

// The output formats GetFeature offers, in the spelling capabilities list.
const std::vector<std::string>& output_format_names(encode::GmlVersion version);

std::string capabilities_2_0(const ServiceDescription& service, const std::vector<core::Collection>& collections);
std::string capabilities_1_1(const ServiceDescription& service, const std::vector<core::Collection>& collections);

// One XML Schema for the given feature types (GML 3.2 or 3.1.1 application schema).
std::string feature_type_schema(const std::vector<core::Collection>& collections, encode::GmlVersion version);

std::string list_stored_queries(const std::vector<core::Collection>& collections);
std::string describe_stored_queries();

}  // namespace amis::api::wfs
