#pragma once
// The usage reports (issue 18): JSON and CSV of the counts the usage aggregator
// keeps, the exact numbers behind the portal's charts.
//   GET /usage           status of the statistics (queue, drops, writes) and links
//   GET /usage/daily     counts per day, grouped and filtered (usage_request.hpp)
//   GET /usage/hourly    the same per hour
//   GET /usage/visitors  new visitors per day and collection
// Public, or for signed-in accounts only ([usage] public = false). Counts of a
// collection the caller may not read are shown under "restricted".
#include "auth/authenticator.hpp"
#include "auth/read_access.hpp"
#include "http/router.hpp"
#include "monitor/usage_aggregator.hpp"
#include "monitor/usage_recorder.hpp"
#include "store/usage_store.hpp"

namespace amis::api::usage {

struct UsageApiContext {
  store::UsageStore& store;
  const auth::ReadAccess& read_access;
  bool public_reports = true;
  monitor::UsageRecorder* recorder = nullptr;      // null when [usage] enabled = false
  monitor::UsageAggregator* aggregator = nullptr;
  bool country_database = false;                   // whether a country database is loaded
};

class UsageApi {
 public:
  explicit UsageApi(UsageApiContext context) : context_(context) {}
  void register_routes(http::Router& router);

 private:
  void check_access() const;
  void landing(http::Request& rq, http::Response& rs);
  void report(http::Request& rq, http::Response& rs, bool hourly);
  void visitors(http::Request& rq, http::Response& rs);

  UsageApiContext context_;
};

}  // namespace amis::api::usage
