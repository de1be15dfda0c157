#pragma once
// Maps "GET /collections/{collectionId}/items" patterns to handlers, segment by segment.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"

namespace amis::http {

using Handler = std::function<void(Request&, Response&)>;

class Router {
 public:
  void add(std::string method, const std::string& pattern, Handler handler);

  // Runs around every matched handler (it calls `next`): the composition root
  // uses it to know who is asking before any service reads the store.
  using Middleware = std::function<void(Request&, Response&, const Handler& next)>;
  void set_middleware(Middleware middleware) { middleware_ = std::move(middleware); }
  const Middleware& middleware() const { return middleware_; }

  // Told of every exchange once its response has ended (matched or not), where
  // the access log line is written: the usage statistics' hook. It must not block.
  struct Outcome {
    int status = 0;
    std::size_t bytes = 0;
    double milliseconds = 0;
    std::int64_t features = 0;  // features the response returned (core::ReturnedFeatures)
  };
  using Observer = std::function<void(const Request&, const Outcome&)>;
  void set_observer(Observer observer) { observer_ = std::move(observer); }
  const Observer& observer() const { return observer_; }

  enum class Match { Found, WrongMethod, NotFound };
  // On Found, fills request.path_params and sets `handler`; on WrongMethod fills `allowed`.
  Match match(Request& request, const Handler*& handler, std::string& allowed) const;

  // What is registered, in order ("GET", "/collections/{collectionId}"): for
  // `amis routes`, which a test compares with the OpenAPI document.
  struct RouteInfo {
    std::string method;
    std::string pattern;
  };
  std::vector<RouteInfo> routes() const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{name}" marks a parameter
    std::string pattern;
    Handler handler;
  };
  std::vector<Route> routes_;
  Middleware middleware_;
  Observer observer_;
};

}  // namespace amis::http
