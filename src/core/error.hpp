#pragma once
// One error type for every protocol: an HTTP status, an OGC exception code and a
// message safe to show a client. Each protocol renders it in its own format.
#include <stdexcept>
#include <string>

namespace amis::core {

class OgcError : public std::runtime_error {
 public:
  OgcError(int http_status, std::string code, const std::string& message, std::string locator = {})
      : std::runtime_error(message),
        status_(http_status),
        code_(std::move(code)),
        locator_(std::move(locator)) {}

  int status() const noexcept { return status_; }
  const std::string& code() const noexcept { return code_; }
  // The request parameter the error is about (OWS "locator"), empty if none.
  const std::string& locator() const noexcept { return locator_; }

 private:
  int status_;
  std::string code_;
  std::string locator_;
};

// A parameter has a value the standard or this server does not accept (400).
struct InvalidParameter : OgcError {
  InvalidParameter(const std::string& parameter, const std::string& why)
      : OgcError(400, "InvalidParameterValue", "Parameter '" + parameter + "': " + why, parameter) {}
};

// A parameter the operation does not know (400).
struct UnknownParameter : OgcError {
  explicit UnknownParameter(const std::string& parameter)
      : OgcError(400, "InvalidParameterValue", "Unknown parameter '" + parameter + "'", parameter) {}
};

// A request document (an XML body, a FES filter) that cannot be read (400).
struct ParsingFailed : OgcError {
  ParsingFailed(const std::string& locator, const std::string& why)
      : OgcError(400, "OperationParsingFailed", why, locator) {}
};

// A resource that does not exist (404).
struct NotFound : OgcError {
  explicit NotFound(const std::string& what) : OgcError(404, "NotFound", what) {}
};

// A representation the server cannot produce (406).
// No or wrong credentials for an operation that needs them.
struct Unauthorized : OgcError {
  explicit Unauthorized(const std::string& what) : OgcError(401, "Unauthorized", what) {}
};

struct Forbidden : OgcError {
  explicit Forbidden(const std::string& what) : OgcError(403, "Forbidden", what) {}
};

struct NotAcceptable : OgcError {
  explicit NotAcceptable(const std::string& what) : OgcError(406, "NotAcceptable", what) {}
};

// A value in a request document (a feature's property or geometry) that the
// collection does not accept (400).
struct InvalidValue : OgcError {
  InvalidValue(const std::string& locator, const std::string& why)
      : OgcError(400, "InvalidValue", why, locator) {}
};

// A request that contradicts the state of the resource: a change set in the
// wrong state, features changed since a change was written (409).
struct Conflict : OgcError {
  explicit Conflict(const std::string& what) : OgcError(409, "Conflict", what) {}
};

// A refusal that may succeed later; protocols send the wait as HTTP's Retry-After.
class RetryLater : public OgcError {
 public:
  RetryLater(int http_status, std::string code, const std::string& message, int retry_after_seconds)
      : OgcError(http_status, std::move(code), message), retry_after_seconds_(retry_after_seconds) {}
  int retry_after_seconds() const noexcept { return retry_after_seconds_; }

 private:
  int retry_after_seconds_;
};

// Too many attempts (failed logins) in a while (429).
struct TooManyRequests : RetryLater {
  explicit TooManyRequests(const std::string& what, int retry_after_seconds = 900)
      : RetryLater(429, "TooManyRequests", what, retry_after_seconds) {}
};

// The server is busy with as much of this kind of work as it takes at once (503).
struct ServiceBusy : RetryLater {
  ServiceBusy(const std::string& what, int retry_after_seconds)
      : RetryLater(503, "ServiceUnavailable", what, retry_after_seconds) {}
};

// The data store cannot be reached now (a database restarting, a network cut, a
// failover under way): 503 with Retry-After, the message says nothing internal.
struct StoreUnavailable : RetryLater {
  explicit StoreUnavailable(const std::string& what, int retry_after_seconds = 5)
      : RetryLater(503, "ServiceUnavailable", what, retry_after_seconds) {}
};

// A request body in a media type the operation does not take (415).
struct UnsupportedMediaType : OgcError {
  explicit UnsupportedMediaType(const std::string& what) : OgcError(415, "UnsupportedMediaType", what) {}
};

// An If-Match that no longer matches the resource's ETag (412).
struct PreconditionFailed : OgcError {
  explicit PreconditionFailed(const std::string& what) : OgcError(412, "PreconditionFailed", what) {}
};

// Another server that holds the data (a national node of a cascaded collection)
// answered with an error or with what cannot be read (502). The message names the
// node, never its address.
struct BadGateway : OgcError {
  explicit BadGateway(const std::string& what) : OgcError(502, "NoApplicableCode", what) {}
};

// Such a server did not answer in time (504).
struct GatewayTimeout : OgcError {
  explicit GatewayTimeout(const std::string& what) : OgcError(504, "NoApplicableCode", what) {}
};

// A failure of the server itself; the message is for the log, never the client.
struct ServerError : OgcError {
  explicit ServerError(const std::string& what) : OgcError(500, "ServerError", what) {}
};

// Whether the client is told only that the server failed (the message is for the
// log): every 5xx but 503, 502 and 504, whose messages (a deadline, a busy server,
// a national node down) are ours, say what to do, and hold nothing internal.
inline bool hidden_from_client(const OgcError& e) {
  return e.status() >= 500 && e.status() != 503 && e.status() != 502 && e.status() != 504;
}

}  // namespace amis::core
