#pragma once
// The change feed of an AMIS node (issue 16): its approved change sets of
// features, numbered 1, 2, 3 ... in the order approved, as JSON pages
// (GET /changes?since=N&limit=M). Each entry carries what the regional AMIS needs
// to apply it as it was approved and to see a conflict: every operation with the
// feature's id at the node, the GeoJSON Feature written (inserts and replaces)
// and the digest of the version it replaced (replaces and deletes; the feature's
// ETag). Provenance names no reviewer or author.
//
//   {"changes": [{"sequence": 1, "changeSet": 12, "collection": "mines", "country": "IDN",
//                 "approved": "2026-…Z", "title": "…",
//                 "operations": [{"op": "replace", "id": 5, "base": "<digest>",
//                                 "feature": {"type": "Feature", "id": 5, "geometry": …, "properties": …}}]}],
//    "latest": 7, "links": [{"rel": "self", …}, {"rel": "next", …}]}
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "edit/change_set.hpp"

namespace amis::federation {

struct FeedOperation {
  edit::Operation operation = edit::Operation::Insert;
  std::int64_t id = 0;      // the feature's id at the node
  std::string base;         // the digest of the version replaced (replace, delete)
  nlohmann::json feature;   // the GeoJSON Feature written (insert, replace); null for a delete
};

struct FeedChangeSet {
  std::int64_t sequence = 0;
  std::int64_t change_set = 0;  // its id at the node
  std::string collection;
  std::string country;   // the author's member state; empty when written by the expert team
  std::string approved;  // RFC 3339
  std::string title;
  std::vector<FeedOperation> operations;
};

struct FeedPage {
  std::vector<FeedChangeSet> changes;
  std::int64_t latest = 0;  // the node's last sequence when the page was made
  std::string next;         // the next page's href; empty on the last page
};

// What a page read from a node may hold.
struct FeedLimits {
  std::size_t max_bytes = 64u << 20;
  std::size_t max_change_sets = 1000;
  std::size_t max_operations = 100000;  // over the whole page
};

// One entry of the feed as the node writes it. The geometry (ISO WKB in CRS84)
// is written with the shortest decimal that reads back as the same double, so
// the feature applied elsewhere has the same digest as here.
nlohmann::json feed_entry_json(std::int64_t sequence, const edit::ChangeSet& change_set,
                               const std::vector<edit::Change>& changes);

// Reads a page of a node's feed. @throws core::ParsingFailed for what is not
// JSON or not a page of a change feed (a member missing or of another type, an
// unknown operation, sequences not increasing, a bound above passed).
FeedPage read_change_feed(std::string_view text, const FeedLimits& limits = {});

}  // namespace amis::federation
