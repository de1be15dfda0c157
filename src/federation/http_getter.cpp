// Boost.Beast's client side for NodeClient: one GET, one connection, one deadline;
// https through OpenSSL with the system's trusted certificates and the host name checked.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "federation/node_client.hpp"
#include "federation/node_pacer.hpp"

namespace amis::federation {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

// Why an exchange failed, in words that name no address.
std::string reason(const beast::error_code& ec) {
  if (ec == beast::error::timeout || ec == asio::error::operation_aborted) return "the node did not answer in time";
  if (ec == asio::error::connection_refused) return "the node refused the connection (down?)";
  if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again)
    return "the node's host name does not resolve";
  if (ec == bhttp::error::body_limit) return "the node's answer is larger than the harvest's bound";
  if (ec == bhttp::error::header_limit) return "the node's answer has headers larger than 64 KiB";
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category())
    return "the node's answer is not valid HTTP";
  if (ec.category() == asio::error::get_ssl_category())
    return "the TLS handshake with the node failed (certificate or protocol)";
  return "the connection to the node failed (" + ec.message() + ")";
}

// Retry-After's delay-seconds (RFC 9110, 10.2.3), at most a year; -1 when absent or an
// HTTP-date (a date would trust the node's clock; the backoff applies then).
std::int64_t retry_after_seconds(std::string_view value) {
  constexpr std::int64_t kYear = 366 * 86400;
  if (value.empty()) return -1;
  std::int64_t seconds = 0;
  for (const char c : value) {
    if (c < '0' || c > '9') return -1;
    seconds = std::min(kYear, seconds * 10 + (c - '0'));
  }
  return seconds;
}

// One exchange on `stream` (plain or TLS): resolve, connect, [handshake], write, read.
template <class Stream>
class Exchange {
 public:
  Exchange(asio::io_context& io, Stream& stream, const NodeUrl& url, const FetchLimits& limits)
      : io_(io), stream_(stream), resolver_(io), url_(url), limits_(limits) {
    parser_.body_limit(limits.max_bytes);
    parser_.header_limit(64 * 1024);
  }

  Fetched run(bhttp::request<bhttp::empty_body>& request) {
    request_ = &request;
    beast::get_lowest_layer(stream_).expires_after(limits_.timeout);  // one deadline for all of it
    resolver_.async_resolve(url_.host, url_.port, [this](beast::error_code ec, const tcp::resolver::results_type& r) {
      if (ec) return finish(ec);
      beast::get_lowest_layer(stream_).async_connect(r, [this](beast::error_code ec2, const tcp::endpoint&) {
        if (ec2) return finish(ec2);
        handshake();
      });
    });
    io_.run_for(limits_.timeout + std::chrono::seconds(1));  // the resolver has no deadline of its own
    if (!done_) {
      resolver_.cancel();
      beast::get_lowest_layer(stream_).cancel();
      io_.run();
      failure_ = beast::error::timeout;
    }
    if (failure_) {
      const bool transient = failure_ != bhttp::error::body_limit && failure_ != bhttp::error::header_limit &&
                             failure_.category() != asio::error::get_ssl_category();
      const bool timed_out = failure_ == beast::error::timeout || failure_ == asio::error::operation_aborted;
      throw FetchFailed(reason(failure_), transient, 0, timed_out);
    }
    auto& response = parser_.get();
    Fetched f;
    f.status = static_cast<int>(response.result_int());
    f.content_type = std::string(response[bhttp::field::content_type]);
    f.location = std::string(response[bhttp::field::location]);
    f.retry_after = retry_after_seconds(response[bhttp::field::retry_after]);
    if (f.status == 200) {
      f.validators.etag = kept_validator(response[bhttp::field::etag]);
      f.validators.last_modified = kept_validator(response[bhttp::field::last_modified]);
    }
    f.body = std::move(response.body());
    return f;
  }

 private:
  void handshake() {
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      stream_.async_handshake(asio::ssl::stream_base::client, [this](beast::error_code ec) {
        if (ec) return finish(ec);
        write();
      });
    } else {
      write();
    }
  }
  void write() {
    bhttp::async_write(stream_, *request_, [this](beast::error_code ec, std::size_t) {
      if (ec) return finish(ec);
      bhttp::async_read(stream_, buffer_, parser_, [this](beast::error_code ec2, std::size_t) { finish(ec2); });
    });
  }
  void finish(beast::error_code ec) {
    failure_ = ec;
    done_ = true;
  }

  asio::io_context& io_;
  Stream& stream_;
  tcp::resolver resolver_;
  const NodeUrl& url_;
  const FetchLimits& limits_;
  beast::flat_buffer buffer_;
  bhttp::response_parser<bhttp::string_body> parser_;
  bhttp::request<bhttp::empty_body>* request_ = nullptr;
  beast::error_code failure_;
  bool done_ = false;
};

class BeastGetter final : public HttpGetter {
 public:
  explicit BeastGetter(const std::string& ca_file) : tls_(asio::ssl::context::tls_client) {
    tls_.set_default_verify_paths();
    if (!ca_file.empty()) {
      beast::error_code ec;
      tls_.load_verify_file(ca_file, ec);
      if (ec) throw std::runtime_error("[federation] ca_file: the certificates could not be read (" + ec.message() + ")");
    }
    tls_.set_verify_mode(asio::ssl::verify_peer);
    tls_.set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1);
  }

  Fetched get(const NodeUrl& url, std::string_view accept, std::string_view token, const FetchLimits& limits,
              const Validators& if_changed) override {
    const bool default_port = (url.scheme == "http" && url.port == "80") || (url.scheme == "https" && url.port == "443");
    bhttp::request<bhttp::empty_body> request(bhttp::verb::get, url.target, 11);
    request.set(bhttp::field::host, default_port ? url.host : url.host + ":" + url.port);
    request.set(bhttp::field::user_agent, "AMIS harvester");
    request.set(bhttp::field::accept, std::string(accept));
    request.set(bhttp::field::connection, "close");
    if (!token.empty()) request.set(bhttp::field::authorization, "Bearer " + std::string(token));
    if (const auto etag = kept_validator(if_changed.etag); !etag.empty()) request.set(bhttp::field::if_none_match, etag);
    if (const auto date = kept_validator(if_changed.last_modified); !date.empty())
      request.set(bhttp::field::if_modified_since, date);
    asio::io_context io;
    if (url.scheme == "https") {
      beast::ssl_stream<beast::tcp_stream> stream(io, tls_);
      // SSL_set_tlsext_host_name without its C cast: the server name for SNI.
      if (!SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                    static_cast<void*>(const_cast<char*>(url.host.c_str()))))
        throw FetchFailed("the TLS connection to the node could not be set up", false);
      stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
      return Exchange(io, stream, url, limits).run(request);
    }
    beast::tcp_stream stream(io);
    return Exchange(io, stream, url, limits).run(request);
  }

 private:
  asio::ssl::context tls_;  // shared by the runs: thread-safe once set up
};

}  // namespace

std::unique_ptr<HttpGetter> make_http_getter(const std::string& ca_file) {
  return paced(std::make_unique<BeastGetter>(ca_file));
}

}  // namespace amis::federation
