#pragma once
// A CSW 2.0.2 Transaction request (OGC 07-006r1 10.11) read into what it asks:
// records to insert and to replace (each an ISO 19139 gmd:MD_Metadata, kept as
// a standalone document for the schema validation, or a Dublin Core csw:Record,
// read here), and constraints selecting records to delete. The service turns it
// into one change set of the catalogue: nothing is written until a reviewer
// approves it. Updates of single properties (csw:RecordProperty) are refused.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/csw/csw_request.hpp"
#include "catalog/record.hpp"
#include "edit/change_set.hpp"

namespace amis::api::csw {

inline constexpr std::size_t kMaxTransactionRecords = 1000;

// One record of an Insert or Update: an ISO document, or a record read from Dublin Core.
struct TransactionRecord {
  std::string iso_document;  // a gmd:MD_Metadata with its namespaces, as a document of its own
  std::optional<catalog::Record> dublin_core;
};

struct TransactionAction {
  edit::Operation operation = edit::Operation::Insert;
  std::string handle;
  std::vector<TransactionRecord> records;  // Insert, Update
  CswRequest constraint;                   // Delete: type_names, constraint_language and constraint
};

struct CswTransaction {
  std::string request_id;
  std::vector<TransactionAction> actions;
};

// @throws core::ParsingFailed for a document that is not a csw:Transaction (or
// holds a DTD, or is too large), core::OgcError OperationNotSupported for a
// csw:Update of record properties, core::InvalidValue for a csw:Record a record
// cannot take, or more than kMaxTransactionRecords records.
CswTransaction parse_transaction(std::string_view body);

// A Dublin Core csw:Record (or csw:SummaryRecord, csw:BriefRecord) into a
// record. An ows:BoundingBox in EPSG:4326 is read latitude first, as the
// standard orders it; ows:WGS84BoundingBox and CRS84 longitude first.
// @throws core::InvalidValue for a bounding box that cannot be read.
catalog::Record read_dublin_core(const pugi::xml_node& record);

}  // namespace amis::api::csw
