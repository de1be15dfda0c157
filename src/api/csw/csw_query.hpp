#pragma once
// A GetRecords / GetRecordById request given its types: which records (a
// CatalogQuery), which page, and in which schema and element set to write them.
#include <cstdint>
#include <string>

#include "api/csw/csw_record_xml.hpp"
#include "api/csw/csw_request.hpp"
#include "catalog/catalog_query.hpp"

namespace amis::api::csw {

enum class OutputSchema { DublinCore, Iso19139 };

struct RecordsQuery {
  catalog::CatalogQuery query;
  ElementSet element_set = ElementSet::Summary;
  OutputSchema schema = OutputSchema::DublinCore;
  bool hits_only = true;            // resultType=hits (the default of CSW 2.0.2)
  std::int64_t start_position = 1;  // 1-based
  std::int64_t max_records = 10;
};

// @throws core::InvalidParameter (locator: the parameter) for a value the
// standard or this server does not take: an unknown typeName, outputSchema,
// ElementSetName, a maxRecords above kMaxRecordsPerPage, a filter on something
// that is not a queryable, ...; core::OgcError MissingParameterValue for a
// constraint without its language.
RecordsQuery get_records_query(const CswRequest& r);

// GetRecordById: the ids, ElementSetName (default summary) and outputSchema.
RecordsQuery get_record_by_id_query(const CswRequest& r);

const char* schema_namespace(OutputSchema schema);

}  // namespace amis::api::csw
