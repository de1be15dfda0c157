#pragma once
// Conditional GETs of a harvest's pages (RFC 9110 13.1): a page the node sent
// with validators (ETag, Last-Modified) at the last complete run is asked for
// with them (If-None-Match, If-Modified-Since). When the node answers 304 Not
// Modified, nothing is transferred or read: the page lists the records it listed
// then, each with the digest it had, so the harvest counts them unchanged.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "federation/harvest.hpp"
#include "federation/node.hpp"
#include "federation/node_client.hpp"

namespace amis::federation {

// The version of the way sources list a page's records (ids, digests): a page kept by
// another version of AMIS is asked for in full, since this one might list it otherwise.
// Raise it whenever a reader (Records, capabilities, collections) or the digests change.
constexpr int kPageReader = 1;

// The pages of the node's last complete harvest, by URL (those kept by kPageReader).
class KnownPages {
 public:
  KnownPages() = default;
  explicit KnownPages(std::vector<HarvestedPage> pages);
  const HarvestedPage* find(const NodeUrl& url) const;

 private:
  std::unordered_map<std::string, HarvestedPage> by_url_;
};

// A page as the node answered a conditional GET.
struct PageAnswer {
  const HarvestedPage* unchanged = nullptr;  // 304: the page as the last run listed it
  std::string body;                          // 200: the page
  Validators validators;                     // 200: what the node said of it (may be none)
};

// @throws FetchFailed as NodeClient::fetch.
PageAnswer fetch_page(NodeClient& client, const NodeUrl& url, std::string_view accept, const KnownPages& known);

// A page the node did not change: its records as then, each unchanged (its digest as
// then); one the harvest no longer holds cannot be read (it is at the next run, the
// page then being asked for again, since this run keeps no validators for it).
SourcePage unchanged_page(const HarvestedPage& page);

// Marks `page` to be kept for the next run's conditional GET when the node sent
// validators for it (the harvest fills in its items).
void keep_validators(SourcePage& page, const NodeUrl& url, const Validators& validators, std::string next = {});

}  // namespace amis::federation
