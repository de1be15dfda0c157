// The collection's summary after an approval (GpkgChangeSets::refresh_collection and
// its helpers): kept from the changes (edit/collection_summary.hpp), with the R-tree
// for a side of the extent a removed geometry was on, or counted again in full.
#include "store/gpkg/gpkg_change_sets.hpp"

#include "store/gpkg/gpkg_schema.hpp"

namespace amis::store::gpkg {
namespace {

using sqlite::quote_identifier;

// The collection's extent in exact doubles, as the import and PostGIS's ST_Extent
// give it. The R-tree keeps 32-bit floats rounded outwards, so its minimum x is
// at most one float step below the true one: only the features whose box lies
// within that step of it can hold the true minimum, and the R-tree finds them;
// their geometries' own envelopes (ST_MinX & co., from the GeoPackage header)
// decide. Likewise for the other three sides. The change's time is the fifth
// column, bound as the first parameter.
std::string exact_extent_select(const std::string& collection) {
  const std::string rtree = quote_identifier(rtree_name(collection));
  const std::string table = quote_identifier(collection);
  auto side = [&](const char* agg, const char* fn, const char* column, const char* bound,
                  const char* op, const char* sign) {
    // 2.4e-7 of the value is two float steps; 1e-30 covers a bound of 0.
    return std::string("(SELECT ") + agg + "(" + fn + "(t.geom)) FROM " + rtree + " AS r JOIN " +
           table + " AS t ON t.fid = r.id WHERE r." + column + " " + op + " e." + bound + " " +
           sign + " (abs(e." + bound + ") * 2.4e-7 + 1e-30))";
  };
  return "SELECT " + side("min", "ST_MinX", "minx", "a", "<=", "+") + ", " +
         side("min", "ST_MinY", "miny", "b", "<=", "+") + ", " +
         side("max", "ST_MaxX", "maxx", "c", ">=", "-") + ", " +
         side("max", "ST_MaxY", "maxy", "d", ">=", "-") +
         ", ? FROM (SELECT min(minx) AS a, min(miny) AS b, max(maxx) AS c, max(maxy) AS d FROM " +
         rtree + ") AS e";
}

}  // namespace

void GpkgChangeSets::refresh_collection(const core::Collection& c, const std::string& time,
                                        const edit::SummaryChanges& changes) {
  edit::CollectionSummary before;
  {
    auto s = db_->cached(
        "SELECT a.feature_count, g.min_x, g.min_y, g.max_x, g.max_y, a.temporal_start, a.temporal_end "
        "FROM amis_collections a JOIN gpkg_contents g ON g.table_name = a.id WHERE a.id = ?");
    s->bind(1, std::string_view(c.id));
    if (!s->step() || s->is_null(0)) return recount_collection(c, time);
    before.count = s->column_int(0);
    if (!s->is_null(1) && !s->is_null(2) && !s->is_null(3) && !s->is_null(4))
      before.extent = {s->column_double(1), s->column_double(2), s->column_double(3), s->column_double(4)};
    if (!s->is_null(5)) before.first = std::string(s->column_text(5));
    if (!s->is_null(6)) before.last = std::string(s->column_text(6));
  }
  auto update = edit::update_summary(before, changes);
  if (update.recompute_all) return recount_collection(c, time);
  auto& summary = update.summary;
  const core::Envelope bounds = summary.extent;  // every row lies in it
  double side[4] = {bounds.min_x, bounds.min_y, bounds.max_x, bounds.max_y};
  for (int i = 0; i < 4 && !summary.extent.empty(); ++i) {
    if (!update.recompute_side[static_cast<std::size_t>(i)]) continue;
    const auto exact = extent_side(c, i, bounds);
    if (!exact) summary.extent = {};  // no row has a geometry any more
    else side[i] = *exact;
  }
  if (!summary.extent.empty()) summary.extent = {side[0], side[1], side[2], side[3]};
  const std::string table = quote_identifier(c.id);
  if (c.temporal_property && update.recompute_times) {
    const std::string t = quote_identifier(*c.temporal_property);
    auto s = db_->cached("SELECT min(" + t + "), max(" + t + ") FROM " + table + " WHERE typeof(" + t + ") = 'text'");
    s->step();
    summary.first = s->is_null(0) ? std::nullopt : std::optional<std::string>(s->column_text(0));
    summary.last = s->is_null(1) ? std::nullopt : std::optional<std::string>(s->column_text(1));
  }
  auto amis = db_->cached(
      "UPDATE amis_collections SET (feature_count, updated, temporal_start, temporal_end) = (?, ?, ?, ?) WHERE id = ?");
  amis->bind(1, summary.count);
  amis->bind(2, std::string_view(time));
  if (c.temporal_property && summary.first) amis->bind(3, std::string_view(*summary.first));
  else amis->bind_null(3);
  if (c.temporal_property && summary.last) amis->bind(4, std::string_view(*summary.last));
  else amis->bind_null(4);
  amis->bind(5, std::string_view(c.id));
  amis->run();
  auto contents = db_->cached(
      "UPDATE gpkg_contents SET (min_x, min_y, max_x, max_y, last_change) = (?, ?, ?, ?, ?) WHERE table_name = ?");
  if (summary.extent.empty()) {
    for (int i = 1; i <= 4; ++i) contents->bind_null(i);
  } else {
    contents->bind(1, summary.extent.min_x);
    contents->bind(2, summary.extent.min_y);
    contents->bind(3, summary.extent.max_x);
    contents->bind(4, summary.extent.max_y);
  }
  contents->bind(5, std::string_view(time));
  contents->bind(6, std::string_view(c.id));
  contents->run();
  auto ogr = db_->cached("INSERT OR REPLACE INTO gpkg_ogr_contents VALUES (?, ?)");
  ogr->bind(1, std::string_view(c.id));
  ogr->bind(2, summary.count);
  ogr->run();
}

std::optional<double> GpkgChangeSets::extent_side(const core::Collection& c, int side, const core::Envelope& bounds) {
  static const char* const kValue[] = {"min(ST_MinX(t.geom))", "min(ST_MinY(t.geom))", "max(ST_MaxX(t.geom))",
                                       "max(ST_MaxY(t.geom))"};
  static const char* const kNear[] = {"r.minx <= ?", "r.miny <= ?", "r.maxx >= ?", "r.maxy >= ?"};
  const std::string from = " FROM " + quote_identifier(rtree_name(c.id)) + " AS r JOIN " + quote_identifier(c.id) +
                           " AS t ON t.fid = r.id";
  const bool along_x = side == 0 || side == 2;
  const double width = along_x ? bounds.max_x - bounds.min_x : bounds.max_y - bounds.min_y;
  const double edge = side == 0 ? bounds.min_x : side == 1 ? bounds.min_y : side == 2 ? bounds.max_x : bounds.max_y;
  // Every row lies in `bounds`: a row whose side is within w of that edge is in the strip.
  // The R-tree's float32 boxes are rounded outwards, so the strip never misses one.
  for (double w = width / 1024;; w *= 16) {
    const bool whole = w >= width;
    auto s = db_->cached(std::string("SELECT ") + kValue[side] + from + (whole ? "" : std::string(" WHERE ") + kNear[side]));
    if (!whole) s->bind(1, side < 2 ? edge + w : edge - w);
    s->step();
    if (!s->is_null(0)) return s->column_double(0);
    if (whole) return std::nullopt;
  }
}

void GpkgChangeSets::recount_collection(const core::Collection& c, const std::string& time) {
  const std::string table = quote_identifier(c.id);
  std::int64_t count = 0;
  {
    auto s = db_->cached("SELECT count(*) FROM " + table);
    s->step();
    count = s->column_int(0);
  }
  std::string temporal = "temporal_start, temporal_end";
  if (c.temporal_property) {
    const std::string t = quote_identifier(*c.temporal_property);
    temporal = "(SELECT min(" + t + ") FROM " + table + " WHERE typeof(" + t + ") = 'text'), (SELECT max(" + t +
               ") FROM " + table + " WHERE typeof(" + t + ") = 'text')";
  }
  auto amis = db_->cached("UPDATE amis_collections SET (feature_count, updated, temporal_start, temporal_end) = "
                          "(SELECT ?, ?, " + temporal + ") WHERE id = ?");
  amis->bind(1, count);
  amis->bind(2, std::string_view(time));
  amis->bind(3, std::string_view(c.id));
  amis->run();
  auto contents = db_->cached("UPDATE gpkg_contents SET (min_x, min_y, max_x, max_y, last_change) = (" +
                              exact_extent_select(c.id) + ") WHERE table_name = ?");
  contents->bind(1, std::string_view(time));
  contents->bind(2, std::string_view(c.id));
  contents->run();
  auto ogr = db_->cached("INSERT OR REPLACE INTO gpkg_ogr_contents VALUES (?, ?)");
  ogr->bind(1, std::string_view(c.id));
  ogr->bind(2, count);
  ogr->run();
}

}  // namespace amis::store::gpkg
