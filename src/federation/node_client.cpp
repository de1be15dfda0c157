#include "federation/node_client.hpp"

#include <algorithm>
#include <optional>
#include <thread>

namespace amis::federation {
namespace {

bool transient_status(int status) { return status == 429 || status == 502 || status == 503 || status == 504; }

// How long to wait before trying again: the doubling backoff, or longer when the node
// said so (Retry-After). std::nullopt when the node asks for more than the limits allow.
std::optional<std::chrono::milliseconds> pause_before_retry(const Fetched& f, std::chrono::milliseconds backoff,
                                                            const FetchLimits& limits) {
  // (The doubling backoff goes on from its own value: one long Retry-After does not double.)
  if (f.retry_after < 0) return backoff;
  if (f.retry_after > limits.max_retry_after.count()) return std::nullopt;
  return std::max(backoff, std::chrono::milliseconds(std::chrono::seconds(f.retry_after)));
}

}  // namespace

std::string kept_validator(std::string_view value) {
  if (value.empty() || value.size() > 200) return {};
  for (char c : value)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) return {};
  return std::string(value);
}

NodeClient::NodeClient(const Node& node, HttpGetter& getter, FetchLimits limits)
    : origin_(parse_node_url(node.url)), token_(node.token), getter_(getter), limits_(limits) {
  limits_.per_second = node.rate_limit;
}

Fetched NodeClient::exchange(const NodeUrl& url, std::string_view accept, const Validators& if_changed) {
  std::chrono::milliseconds backoff = limits_.backoff;
  for (int attempt = 0;; ++attempt) {
    std::chrono::milliseconds pause = backoff;
    const auto start = std::chrono::steady_clock::now();
    try {
      ++requests_;
      Fetched f = getter_.get(url, accept, token_, limits_, if_changed);
      waited_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (!transient_status(f.status) || attempt >= limits_.retries) return f;
      const auto asked = pause_before_retry(f, pause, limits_);
      if (!asked) return f;
      pause = *asked;
    } catch (const FetchFailed& e) {
      waited_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (!e.transient() || attempt >= limits_.retries) throw;
    }
    std::this_thread::sleep_for(pause);
    waited_ += std::chrono::duration<double>(pause).count();
    backoff *= 2;
  }
}

std::optional<Fetched> NodeClient::fetch_if_changed(const NodeUrl& first, std::string_view accept,
                                                    const Validators& known) {
  NodeUrl url = first;
  for (int redirects = 0;; ++redirects) {
    if (!url.same_origin(origin_)) throw FetchFailed("a link to another host than the node's was not followed", false);
    // A redirected page is asked for unconditionally: the validators were the first URL's.
    Fetched f = exchange(url, accept, redirects == 0 ? known : Validators{});
    if (f.status == 200) return f;
    if (f.status == 304 && redirects == 0 && !known.empty()) return std::nullopt;
    const bool redirect = f.status == 301 || f.status == 302 || f.status == 303 || f.status == 307 || f.status == 308;
    if (!redirect)
      throw FetchFailed("the node answered HTTP " + std::to_string(f.status) +
                            (f.retry_after >= 0 ? " (asking to wait " + std::to_string(f.retry_after) + " s)" : ""),
                        transient_status(f.status) || f.status >= 500, f.status);
    if (redirects >= limits_.max_redirects) throw FetchFailed("more than " + std::to_string(limits_.max_redirects) + " redirects", false);
    NodeUrl next;
    try {
      next = resolve(url, f.location);
    } catch (const std::exception&) {
      throw FetchFailed("a redirect to an invalid URL was not followed", false);
    }
    if (!next.same_origin(origin_))
      throw FetchFailed("a redirect to another host than the node's was refused", false);
    url = std::move(next);
  }
}

}  // namespace amis::federation
