#pragma once
// The expert team's usage reports (issue 18, work plan 4.3):
//   GET /usage/member-states/{iso3}   how the state's datasets are used and from where, month
//                                     by month: from, to (YYYY-MM; default the last 12 months),
//                                     f=json (default) or csv
//   GET /usage/monthly/{month}        the monthly utilization report (YYYY-MM): f=json
//                                     (default), csv, html (a printable page) or pdf
// Public, or for signed-in accounts only ([usage] public = false), like /usage/daily; a
// collection the caller may not read is left out or counted as "restricted".
#include <string>
#include <utility>
#include <vector>

#include "auth/read_access.hpp"
#include "core/clock.hpp"
#include "http/router.hpp"
#include "monitor/usage_reports.hpp"
#include "store/usage_store.hpp"

namespace amis::api::usage {

struct UsageReportsContext {
  store::UsageStore& store;
  const auth::ReadAccess& read_access;
  bool public_reports = true;
  monitor::DatasetsOf datasets_of;
  std::vector<std::pair<std::string, std::string>> member_states;  // (ISO alpha-3, English name), in page order
  core::Clock clock;  // now: the default months and the reports' stamp ([server] clock)
};

class UsageReportsApi {
 public:
  explicit UsageReportsApi(UsageReportsContext context) : context_(std::move(context)) {}
  void register_routes(http::Router& router);

 private:
  void check_access() const;
  monitor::ShownName shown_name() const;
  void member_state(http::Request& rq, http::Response& rs);
  void monthly(http::Request& rq, http::Response& rs);

  UsageReportsContext context_;
};

}  // namespace amis::api::usage
