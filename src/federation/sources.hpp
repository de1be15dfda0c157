#pragma once
// The source of each kind of node (NodeKind): CSW GetRecords pages, OGC API -
// Records items pages by next links (an AMIS node: its /collections/catalog), an
// OGC API - Features landing page's collections, WMS/WFS capabilities.
#include <memory>

#include "catalog/iso_schema.hpp"
#include "federation/harvest.hpp"
#include "federation/known_pages.hpp"
#include "federation/node.hpp"
#include "federation/node_client.hpp"

namespace amis::federation {

// OGC API pages and single documents are asked for with a conditional GET when the
// last complete run kept their validators (`known`, which must outlive the source).
// @throws core::InvalidValue for a node whose URL is not one (validate(Node) first).
std::unique_ptr<HarvestSource> make_source(const Node& node, NodeClient& client, const catalog::IsoSchema& schema,
                                           const KnownPages& known);

}  // namespace amis::federation
