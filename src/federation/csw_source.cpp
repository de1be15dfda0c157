#include "federation/csw_source.hpp"

#include "federation/csw_page.hpp"
#include "http/request.hpp"

namespace amis::federation {

std::optional<SourcePage> CswSource::next_page() {
  if (matched_ >= 0 && position_ > matched_) return std::nullopt;
  const std::string query =
      "service=CSW&version=2.0.2&request=GetRecords&typeNames=gmd:MD_Metadata&resultType=results"
      "&elementSetName=full&outputSchema=" + http::percent_encode("http://www.isotc211.org/2005/gmd") +
      "&namespace=" + http::percent_encode("xmlns(gmd=http://www.isotc211.org/2005/gmd)") +
      "&startPosition=" + std::to_string(position_) + "&maxRecords=" + std::to_string(page_size_);
  const NodeUrl url = with_path(endpoint_, "", query);
  // Moved on before the fetch: a page that fails is skipped by the next call.
  const std::int64_t asked = position_;
  position_ += page_size_;
  auto page = read_csw_records_page(client_.get(url, "application/xml"), schema_);
  matched_ = page.matched;
  if (page.returned == 0 && page.page.items.empty()) {
    if (asked == 1) return std::move(page.page);  // an empty catalogue: nothing listed, all withdrawn
    return std::nullopt;
  }
  // A server that pages by fewer records than asked: go on from where it stopped.
  if (page.next_record > asked && page.next_record < position_) position_ = page.next_record;
  if (page.next_record == 0 && page.returned > 0 && asked + page.returned > matched_) matched_ = asked + page.returned - 1;
  return std::move(page.page);
}

}  // namespace amis::federation
