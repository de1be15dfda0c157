#pragma once
// Which service, operation, collection and output format a request was for, read
// from the route the router matched (its pattern and path parameters) and, for the
// OWS services, from the REQUEST and layer parameters or the POST body's root
// element. Every service, operation and format name is one of a fixed list, so a
// client cannot add names to the usage tables; collection names are checked
// against the store by the aggregator.
#include <string>

#include "http/request.hpp"

namespace amis::monitor {

struct Classification {
  const char* service = "unknown";
  const char* operation = "unknown";
  const char* format = "";
  std::string collection;  // as asked, "" when the request names none
};

Classification classify(const http::Request& request);

// The output format name of an `f`, outputFormat or format value ("" for none,
// "other" for one not in the list).
const char* format_name(std::string_view value);

}  // namespace amis::monitor
