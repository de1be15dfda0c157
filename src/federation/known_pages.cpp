#include "federation/known_pages.hpp"

#include "core/error.hpp"

namespace amis::federation {

KnownPages::KnownPages(std::vector<HarvestedPage> pages) {
  for (auto& p : pages) {
    if (p.reader != kPageReader) continue;
    std::string url = p.url;
    by_url_.emplace(std::move(url), std::move(p));
  }
}

const HarvestedPage* KnownPages::find(const NodeUrl& url) const {
  const auto it = by_url_.find(url.text());
  return it == by_url_.end() ? nullptr : &it->second;
}

PageAnswer fetch_page(NodeClient& client, const NodeUrl& url, std::string_view accept, const KnownPages& known) {
  const HarvestedPage* kept = known.find(url);
  PageAnswer out;
  auto fetched = client.fetch_if_changed(url, accept, kept ? Validators{kept->etag, kept->last_modified} : Validators{});
  if (!fetched) {
    out.unchanged = kept;
    return out;
  }
  out.body = std::move(fetched->body);
  out.validators = std::move(fetched->validators);
  return out;
}

SourcePage unchanged_page(const HarvestedPage& page) {
  SourcePage out;
  for (const auto& [source_id, digest] : page.items)
    out.items.push_back({source_id, digest, "", [id = source_id]() -> catalog::Record {
                           throw core::InvalidValue(
                               "record", "the node's page was not modified, but the record " + id +
                                             " it lists was not taken from it before; it is read at the next run");
                         }});
  out.validated = HarvestedPage{page.url, page.etag, page.last_modified, page.next, {}, page.reader};
  return out;
}

void keep_validators(SourcePage& page, const NodeUrl& url, const Validators& validators, std::string next) {
  if (validators.empty()) return;
  page.validated = HarvestedPage{url.text(), validators.etag, validators.last_modified, std::move(next), {}, kPageReader};
}

}  // namespace amis::federation
