#pragma once
// The harvester's only way out to the network: GET requests to one registered
// node. Everything a hostile or broken node could do is bounded here: one host
// (the node's scheme, host and port; a redirect elsewhere is refused, never
// followed), a deadline per request, a bound on the response's size, a few
// retries with backoff for what may pass (a refused connection, a timeout, 429,
// 5xx), and no file:// or other scheme. Messages name neither the node's address
// nor its token: they go into reports and logs.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "federation/node.hpp"
#include "federation/url.hpp"

namespace amis::federation {

struct FetchLimits {
  std::chrono::milliseconds timeout{20000};  // per request: resolve, connect, send, read
  std::size_t max_bytes = 64u << 20;         // a response's body
  int retries = 2;                           // after the first attempt, for what may pass
  std::chrono::milliseconds backoff{500};    // doubled at each retry
  int max_redirects = 3;                     // within the node's own origin
  double per_second = 0;                     // requests to the node's origin at most (0: no limit)
  // How long a request may wait for its slot under per_second. 0: within `timeout`, which
  // then bounds the wait and the exchange together (a client is waiting: cascades,
  // distributed searches). Background work (harvests, syncs, mirrors) waits longer.
  std::chrono::milliseconds pace_within{0};
  // The longest Retry-After of a 429 or 503 waited for before a retry; a longer one
  // ends the attempts (the node is reported busy, and asked again at the next run).
  std::chrono::seconds max_retry_after{30};
};

// A request to the node failed (after its retries). what() is safe to report.
class FetchFailed : public std::runtime_error {
 public:
  FetchFailed(const std::string& what, bool transient, int status = 0, bool timed_out = false)
      : std::runtime_error(what), transient_(transient), status_(status), timed_out_(timed_out) {}
  // Whether trying again later may succeed (the node down or busy), rather than
  // an answer that will not change (404, a refused redirect, too large).
  bool transient() const noexcept { return transient_; }
  // The node's HTTP status when it answered with another than 200; 0 when it did not answer.
  int status() const noexcept { return status_; }
  // Whether the node did not answer before the deadline.
  bool timed_out() const noexcept { return timed_out_; }

 private:
  bool transient_;
  int status_;
  bool timed_out_;
};

// A page's validators (RFC 9110 8.8): what the node said of a page it sent, and
// what a conditional GET sends back (If-None-Match, If-Modified-Since) to be told
// 304 Not Modified when the page is the same. Only well-formed values are kept:
// printable ASCII of at most 200 characters (never a header of the node's making).
struct Validators {
  std::string etag;           // as sent, quotes and W/ included
  std::string last_modified;  // an HTTP-date as sent
  bool empty() const { return etag.empty() && last_modified.empty(); }
};
// The value when it may be kept and sent back; empty otherwise.
std::string kept_validator(std::string_view value);

struct Fetched {
  int status = 0;
  std::string content_type;
  std::string location;  // of a redirect
  std::int64_t retry_after = -1;  // seconds a 429 or 503 asks to wait (Retry-After); -1: not said
  Validators validators;          // of a 200 answer, those kept_validator() keeps
  std::string body;
};

// One HTTP exchange, nothing else: no redirects, no retries (NodeClient's).
class HttpGetter {
 public:
  virtual ~HttpGetter() = default;
  // @throws FetchFailed for a connection or timeout failure or a body too large.
  // `if_changed`: the validators a conditional GET sends (none: an unconditional one).
  virtual Fetched get(const NodeUrl& url, std::string_view accept, std::string_view bearer_token,
                      const FetchLimits& limits, const Validators& if_changed) = 0;
};

// Boost.Beast over TCP, and TLS (OpenSSL) for https:// with the system's trusted
// certificates (and those of `ca_file`, PEM, when given), the host name verified and
// TLS 1.2 at least; paced per origin at FetchLimits::per_second (federation/node_pacer.hpp).
// One per process: the pacing holds across everything that asks the nodes.
// @throws std::runtime_error when `ca_file` cannot be read as PEM certificates.
std::unique_ptr<HttpGetter> make_http_getter(const std::string& ca_file = {});

class NodeClient {
 public:
  NodeClient(NodeUrl origin, std::string token, HttpGetter& getter, FetchLimits limits = {})
      : origin_(std::move(origin)), token_(std::move(token)), getter_(getter), limits_(limits) {}
  // To a registered node: its URL's origin, its token and its rate limit.
  NodeClient(const Node& node, HttpGetter& getter, FetchLimits limits);

  // The body of a 200 answer to GET `url`. @throws FetchFailed for another host,
  // a failure after the retries, another status (the status named), a redirect
  // off the node.
  std::string get(const NodeUrl& url, std::string_view accept) { return fetch(url, accept).body; }
  // As get(), with the answer's media type (a map image's).
  Fetched fetch(const NodeUrl& url, std::string_view accept) { return *fetch_if_changed(url, accept, {}); }
  // A conditional GET with what the node said of the page last time: nullopt when it
  // answers 304 Not Modified (only then: a 304 to an unconditional GET fails).
  std::optional<Fetched> fetch_if_changed(const NodeUrl& url, std::string_view accept, const Validators& known);

  // Seconds spent waiting for the node so far (for the report's own-work figure).
  double waited_seconds() const { return waited_; }
  std::int64_t requests() const { return requests_; }

 private:
  Fetched exchange(const NodeUrl& url, std::string_view accept, const Validators& if_changed);

  NodeUrl origin_;
  std::string token_;
  HttpGetter& getter_;
  FetchLimits limits_;
  double waited_ = 0;
  std::int64_t requests_ = 0;
};

}  // namespace amis::federation
