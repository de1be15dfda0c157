#pragma once
// A record as a client sends it to OGC API - Records (a create or replace, the
// transactions of OGC API - Features - Part 4 applied to the catalogue): the
// GeoJSON record of the record core, as records_documents writes it, read back
// into a catalog::Record. The links a server makes itself (self, alternate
// encodings of the record, collection, up) are left out; `preview` becomes the
// thumbnail. Whether the record is complete is catalog::validate's to say.
#include <string_view>

#include "catalog/record.hpp"

namespace amis::api::records {

inline constexpr std::size_t kMaxRecordBytes = 1024 * 1024;

// @throws core::ParsingFailed for a body that is not a JSON object of at most
// kMaxRecordBytes, core::InvalidValue naming the member of the wrong shape.
catalog::Record read_record_geojson(std::string_view body);

}  // namespace amis::api::records
