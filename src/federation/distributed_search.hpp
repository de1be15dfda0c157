#pragma once
// Distributed search (issue 16): one catalogue search asked of the live national
// nodes (kinds amis, csw, records) at once, each in a thread of its own, through
// the harvester's NodeClient (the node's own host only, no redirects elsewhere, a
// bounded answer, no retries). The search waits until its deadline and no longer:
// a node that has not answered by then is cut off (its thread ends at the same
// deadline, the getter's own) and named in the answer, as is one that failed.
// Free of any protocol: the caller (OGC API - Records, CSW) says what to send
// each kind of node and encodes the merged records its own way.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/iso_schema.hpp"
#include "catalog/record.hpp"
#include "core/feature_query.hpp"
#include "federation/node.hpp"
#include "federation/node_client.hpp"
#include "store/node_store.hpp"

namespace amis::federation {

struct DistributedSearchOptions {
  std::chrono::milliseconds deadline{3000};  // from the start of the search to its answer
  std::size_t max_bytes = 8u << 20;          // a node's answer
  int max_in_flight = 64;                    // node requests at once over all searches; beyond: skipped
  // Searches waiting for nodes at once: each holds a server worker until its
  // deadline, so more would starve the other requests; beyond it a search stays local.
  int max_searches = 4;
  // An answer that arrived before the deadline is read for at most this much longer
  // (the ISO schemas' first load, validation); then the node counts as cut off. When a
  // node searching further asked this one, a tenth of the time it gave, at most.
  std::chrono::milliseconds read_grace{2000};
};

// What to send each kind of node: a query string (without '?') for its endpoint,
// or why the search cannot be asked of that kind (named in the answer).
struct ForwardedRequest {
  std::optional<std::string> query;
  std::string refusal;
  // The query asks the node to search further (an AMIS node: federated=true or
  // distributedSearch=true): it is sent this search's remaining time as
  // `deadline` (milliseconds), so that a chain of nodes ends within the first
  // deadline rather than each node waiting its own.
  bool passes_deadline = false;
};

// The `deadline` parameter a node sends on (milliseconds left, 1 to 600000); none: nullopt.
// @throws core::InvalidParameter for another value.
std::optional<std::chrono::milliseconds> parse_search_deadline(std::optional<std::string_view> text);

struct ForwardedSearch {
  ForwardedRequest records;       // OGC API - Records items (kind records)
  ForwardedRequest amis_records;  // the same for an AMIS node (may carry the hop count on)
  ForwardedRequest csw;           // CSW 2.0.2 GetRecords KVP, ISO 19139 answer (kinds csw, and amis at /csw)
  bool amis_over_csw = false;     // ask AMIS nodes at their /csw instead of their Records API
};

enum class NodeSearchStatus { Answered, CutOff, Failed, Skipped };
std::string_view to_string(NodeSearchStatus status);  // "answered", "cut-off", "failed", "skipped"

// How one node took part.
struct NodeSearchOutcome {
  std::string node;
  NodeKind kind = NodeKind::Amis;
  NodeSearchStatus status = NodeSearchStatus::Skipped;
  std::string reason;  // why it failed or was skipped; names neither address nor token
  std::int64_t returned = 0;  // records read from its answer
  std::optional<std::int64_t> matched;
  std::int64_t unreadable = 0;  // records of its answer that could not be read
  double seconds = 0;           // until it answered, failed or was cut off
};

struct NodeSearchResult {
  NodeSearchOutcome outcome;
  std::vector<catalog::Record> records;  // in the node's order
};

// A search under way: started at once, awaited by the caller after its own local search.
class PendingSearch {
 public:
  virtual ~PendingSearch() = default;
  // Blocks until every node answered or the deadline passed, whichever comes first.
  virtual std::vector<NodeSearchResult> wait() = 0;
};

class DistributedSearch {
 public:
  DistributedSearch(store::NodeStore& nodes, HttpGetter& getter, catalog::IsoSchemaOnce& schema,
                    DistributedSearchOptions options = {})
      : nodes_(nodes), getter_(getter), schema_(schema), options_(options) {}

  // Starts asking every registered node of kind amis, csw or records. The search
  // ends at this node's deadline, or at `deadline` from now if that comes first
  // (the time the node that asked this one has left).
  std::unique_ptr<PendingSearch> start(const ForwardedSearch& search,
                                       std::optional<std::chrono::milliseconds> deadline = std::nullopt);

  const DistributedSearchOptions& options() const { return options_; }

 private:
  store::NodeStore& nodes_;
  HttpGetter& getter_;
  catalog::IsoSchemaOnce& schema_;
  DistributedSearchOptions options_;
  std::shared_ptr<std::atomic<int>> searching_ = std::make_shared<std::atomic<int>>(0);
};

// The records of the local search and of the nodes as one list: taken in turns
// (the best of each source first, the local one leading), a record left out when
// one already taken has the same identifier or the same provenance source id.
// `duplicates` counts those left out. With `sortby`, the list is then put in its
// order (catalog::ordered_before): each source sent its first N by that order, so
// the first N of the merged list are the first N of all of them.
struct MergedRecords {
  std::vector<catalog::Record> records;
  std::int64_t duplicates = 0;
};
MergedRecords merge_records(std::vector<catalog::Record> local, std::vector<NodeSearchResult>& nodes,
                            const std::vector<core::SortKey>& sortby = {});

}  // namespace amis::federation
