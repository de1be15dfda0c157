#pragma once
// A node's collection published as an AMIS collection (issue 16, cascading):
// either read through to the node at every request (`cascade`: the node stays
// authoritative, AMIS keeps a bounded cache) or copied into the store on the
// node's schedule as a read-only collection (`mirror`). What the store keeps of
// a publication is this file's types, so the store never includes the cascade.
#include <cstdint>
#include <string>
#include <string_view>

namespace amis::federation {

enum class PublishMode { Cascade, Mirror };
std::string_view to_string(PublishMode mode);
// @throws core::InvalidValue("mode", ...) for another word.
PublishMode parse_publish_mode(std::string_view text);

struct Publication {
  std::string collection;  // the AMIS collection id
  std::string node;        // the registered node it reads from
  std::string source_id;   // the collection (OGC API) or feature type (WFS) at the node
  PublishMode mode = PublishMode::Cascade;
  // The collection's metadata (core::Collection as collection_json) taken when
  // published: a cascaded collection is listed without asking the node.
  std::string metadata;
  std::string created;    // RFC 3339 UTC
  std::string synced;     // a mirror's last complete copy; empty before the first
  std::string last_error; // a mirror's last failed copy (safe to show); empty when it succeeded
};

// What a mirror keeps of each feature copied from the node: its id there, its id
// here and the digest of its content, to rewrite only what changed.
struct MirroredFeature {
  std::string source_id;
  std::int64_t fid = 0;
  std::string digest;
};

}  // namespace amis::federation
