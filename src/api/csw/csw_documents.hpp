#pragma once
// The fixed documents of the CSW 2.0.2 service: capabilities (OWS 1.0.0 with
// Filter 1.1 capabilities), DescribeRecord and GetDomain responses.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace amis::api::csw {

inline constexpr const char* kCswNamespace = "http://www.opengis.net/cat/csw/2.0.2";
inline constexpr const char* kGmdNamespace = "http://www.isotc211.org/2005/gmd";
inline constexpr std::int64_t kMaxRecordsPerPage = 5000;
inline constexpr std::int64_t kDefaultMaxRecords = 10;

struct CswServiceInfo {
  std::string title;
  std::string abstract;
  std::string provider;
};

std::string capabilities_document(const std::string& service_url, const CswServiceInfo& info);

// @param type_names "csw:Record" and/or "gmd:MD_Metadata" (both when empty).
std::string describe_record_document(const std::vector<std::string>& type_names);

// The values of a request parameter ("GetRecords.outputSchema"), or nullptr when
// the service does not know it.
const std::vector<std::string>* parameter_domain(std::string_view parameter);

// A csw:GetDomainResponse: `name` is a ParameterName or a PropertyName; the
// values with their counts (counts < 0 are not written).
std::string domain_document(std::string_view name, bool is_property,
                            const std::vector<std::pair<std::string, std::int64_t>>& values);

// What a Transaction submitted for review (its counts are of the records in the
// change set `change_set_url`, published once a reviewer approves it).
struct TransactionSummary {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t deleted = 0;
  std::string request_id;  // the request's requestId, echoed; else the change set's URL
  std::vector<std::pair<std::string, std::string>> inserts;  // id, title of each record inserted
};

// A csw:TransactionResponse.
std::string transaction_response(const TransactionSummary& summary);

}  // namespace amis::api::csw
