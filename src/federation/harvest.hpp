#pragma once
// The harvest itself, free of any protocol: a source lists the node's records
// page by page, each with its id at the source and a digest of its content there;
// the harvest reads (parses, validates) only those that are new or changed, writes
// them into the catalogue with their provenance, withdraws those the source no
// longer lists, and ends with a report. One bad record or page never stops a run:
// it is counted, with its reason, and the run goes on.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/record.hpp"
#include "federation/node.hpp"
#include "store/catalog_store.hpp"
#include "store/node_store.hpp"

namespace amis::federation {

// One record as a source lists it.
struct SourceItem {
  std::string source_id;
  std::string digest;           // content_digest of what the source sent for it
  std::string source_modified;  // its date at the source (RFC 3339); may be empty
  // Makes the record (called only when it is new or changed).
  // @throws core::OgcError (InvalidValue, ParsingFailed) for a record that cannot be taken.
  std::function<catalog::Record()> read;
};

struct SourcePage {
  std::vector<SourceItem> items;
  std::vector<HarvestFailure> failures;  // records of the page that could not even be listed
  // Set when the node sent the page with validators (federation/known_pages.hpp): kept,
  // with the page's items, after a complete run in which none of its records failed.
  std::optional<HarvestedPage> validated;
};

class HarvestSource {
 public:
  virtual ~HarvestSource() = default;
  // The next page; nullopt after the last.
  // @throws FetchFailed, core::OgcError when the page cannot be fetched or read.
  virtual std::optional<SourcePage> next_page() = 0;
  // After next_page() threw: whether the following call goes on with the page
  // after the failed one (CSW's positions), or the listing cannot go on (next links).
  virtual bool resumable() const = 0;
};

// A digest of a record's content at the source (BLAKE2b, 128 bits, hex).
std::string content_digest(std::string_view content);

// The catalogue id of a record harvested from `node`: "<node>:<source id>", or
// "<node>:h<digest of the source id>" for a source id no record id can carry.
std::string harvested_record_id(std::string_view node, std::string_view source_id);

struct HarvestOptions {
  std::function<double()> waited_seconds = [] { return 0.0; };  // time spent waiting for the node
};

// Harvests `source` for `node` and returns the report (not yet stored).
HarvestRun harvest(const Node& node, HarvestSource& source, store::CatalogStore& catalog, store::NodeStore& nodes,
                   const HarvestOptions& options = {});

}  // namespace amis::federation
