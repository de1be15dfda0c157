#pragma once
// A CSW 2.0.2 node listed with GetRecords (outputSchema gmd, ElementSetName full)
// page after page by startPosition, so a failed page is skipped, not the rest.
#include "catalog/iso_schema.hpp"
#include "federation/harvest.hpp"
#include "federation/node_client.hpp"

namespace amis::federation {

class CswSource final : public HarvestSource {
 public:
  CswSource(NodeClient& client, NodeUrl endpoint, const catalog::IsoSchema& schema, std::int64_t page_size = 500)
      : client_(client), endpoint_(std::move(endpoint)), schema_(schema), page_size_(page_size) {}
  std::optional<SourcePage> next_page() override;
  bool resumable() const override { return matched_ >= 0; }

 private:
  NodeClient& client_;
  NodeUrl endpoint_;
  const catalog::IsoSchema& schema_;
  std::int64_t page_size_;
  std::int64_t position_ = 1;
  std::int64_t matched_ = -1;  // unknown until the first page
};

}  // namespace amis::federation
