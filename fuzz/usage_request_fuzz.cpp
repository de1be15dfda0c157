// What the usage statistics read from a client: the query string of a usage
// report (parse_usage_request), a month of the monthly report and member-state view
// (is_month guards last_day), and, for the classifier, a POSTed OWS body and
// KVP parameters. Only InvalidParameter may come out of the report parser; the
// classifier never throws and names only services, operations and formats of its
// own lists.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "api/usage/usage_request.hpp"
#include "core/error.hpp"
#include "http/request.hpp"
#include "monitor/usage_classifier.hpp"
#include "monitor/usage_reports.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  amis::http::Request rq;
  rq.method = "GET";
  rq.path = "/usage/daily";
  if (auto query = amis::http::parse_query(text)) rq.query = std::move(*query);
  try {
    amis::api::usage::parse_usage_request(rq, size % 2 == 0);
  } catch (const amis::core::InvalidParameter&) {
  }
  const std::string month(text.substr(0, 7));
  if (amis::monitor::is_month(month) && amis::monitor::last_day(month).size() != 10) std::abort();
  for (const char* route : {"/wfs", "/wms", "/wmts", "/csw"}) {
    rq.route = route;
    rq.method = "GET";
    const auto get = amis::monitor::classify(rq);
    rq.method = "POST";
    rq.body = std::string(text);
    const auto post = amis::monitor::classify(rq);
    for (const auto* c : {&get, &post})
      if (std::strlen(c->service) > 16 || std::strlen(c->operation) > 32 || c->collection.size() > 128) std::abort();
  }
  return 0;
}
