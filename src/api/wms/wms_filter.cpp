#include "api/wms/wms_filter.hpp"

#include <string>

#include "api/wms/wms_params.hpp"
#include "query/cql2.hpp"
#include "query/filter_crs.hpp"

namespace amis::api::wms {
namespace {

// The entries of a ';'-separated list; a ';' inside a quoted string stays in it.
std::vector<std::string> entries(const std::string& text) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (char c : text) {
    if (c == '\'') quoted = !quoted;
    if (c == ';' && !quoted) {
      out.emplace_back();
      continue;
    }
    out.back() += c;
  }
  return out;
}

bool blank_or_include(const std::string& entry) {
  const auto first = entry.find_first_not_of(" \t");
  if (first == std::string::npos) return true;
  const auto last = entry.find_last_not_of(" \t");
  return upper(entry.substr(first, last - first + 1)) == "INCLUDE";
}

}  // namespace

std::vector<std::shared_ptr<const core::Expression>> parse_cql_filter(const http::Request& request,
                                                                      std::size_t layer_count) {
  const auto text = param(request, "CQL_FILTER");
  if (!text) return {};
  const auto list = entries(*text);
  if (list.size() != layer_count)
    throw WmsError("InvalidParameterValue",
                   "CQL_FILTER has " + std::to_string(list.size()) + " filters for " + std::to_string(layer_count) +
                       " layers: give one per layer, separated by ';' (INCLUDE for none)",
                   "CQL_FILTER");
  std::vector<std::shared_ptr<const core::Expression>> filters;
  for (const auto& entry : list) {
    if (blank_or_include(entry)) {
      filters.push_back(nullptr);
      continue;
    }
    try {
      auto filter = std::make_shared<const core::Expression>(query::parse_cql2_text(entry));
      query::check_crs84_literals(*filter);
      filters.push_back(std::move(filter));
    } catch (const core::OgcError& e) {
      throw WmsError("InvalidParameterValue", std::string("CQL_FILTER: ") + e.what(), "CQL_FILTER");
    }
  }
  return filters;
}

}  // namespace amis::api::wms
