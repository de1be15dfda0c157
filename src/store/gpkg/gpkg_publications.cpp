// The publications of nodes' collections in the GeoPackage store: amis_publications
// and a mirror's digests, amis_mirrored.
#include "core/error.hpp"
#include "store/gpkg/gpkg_nodes.hpp"

namespace amis::store::gpkg {
namespace {

constexpr const char* kSelect =
    "SELECT collection, node, source_id, mode, metadata, created, synced, last_error FROM amis_publications";

federation::Publication read_publication(sqlite::Statement& s) {
  federation::Publication p;
  p.collection = s.column_text(0);
  p.node = s.column_text(1);
  p.source_id = s.column_text(2);
  p.mode = federation::parse_publish_mode(s.column_text(3));
  p.metadata = s.column_text(4);
  p.created = s.column_text(5);
  p.synced = s.column_text(6);
  p.last_error = s.column_text(7);
  return p;
}

}  // namespace

void GpkgNodes::add_publication(const federation::Publication& p) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  {
    auto taken = db_->cached("SELECT 1 FROM amis_publications WHERE collection = ?");
    taken->bind(1, std::string_view(p.collection));
    if (taken->step()) throw core::Conflict("collection '" + p.collection + "' is published already");
  }
  auto s = db_->cached(
      "INSERT INTO amis_publications (collection, node, source_id, mode, metadata, created, synced, last_error) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  s->bind(1, std::string_view(p.collection));
  s->bind(2, std::string_view(p.node));
  s->bind(3, std::string_view(p.source_id));
  s->bind(4, federation::to_string(p.mode));
  s->bind(5, std::string_view(p.metadata));
  s->bind(6, std::string_view(p.created));
  s->bind(7, std::string_view(p.synced));
  s->bind(8, std::string_view(p.last_error));
  s->run();
  tx.commit();
}

std::vector<federation::Publication> GpkgNodes::publications() {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(std::string(kSelect) + " ORDER BY collection");
  std::vector<federation::Publication> out;
  while (s->step()) out.push_back(read_publication(*s));
  return out;
}

std::optional<federation::Publication> GpkgNodes::publication(std::string_view collection) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(std::string(kSelect) + " WHERE collection = ?");
  s->bind(1, collection);
  if (!s->step()) return std::nullopt;
  return read_publication(*s);
}

bool GpkgNodes::remove_publication(std::string_view collection) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  {
    auto s = db_->cached("DELETE FROM amis_mirrored WHERE collection = ?");
    s->bind(1, collection);
    s->run();
  }
  auto s = db_->cached("DELETE FROM amis_publications WHERE collection = ?");
  s->bind(1, collection);
  s->run();
  const bool removed = sqlite3_changes(db_->handle()) > 0;
  tx.commit();
  return removed;
}

void GpkgNodes::set_publication_state(std::string_view collection, const std::string& synced,
                                      const std::string& error) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "UPDATE amis_publications SET synced = CASE WHEN ? = '' THEN synced ELSE ? END, last_error = ? "
      "WHERE collection = ?");
  s->bind(1, std::string_view(synced));
  s->bind(2, std::string_view(synced));
  s->bind(3, std::string_view(error));
  s->bind(4, collection);
  s->run();
}

std::vector<federation::MirroredFeature> GpkgNodes::mirrored(std::string_view collection) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("SELECT source_id, fid, digest FROM amis_mirrored WHERE collection = ?");
  s->bind(1, collection);
  std::vector<federation::MirroredFeature> out;
  while (s->step()) out.push_back({std::string(s->column_text(0)), s->column_int(1), std::string(s->column_text(2))});
  return out;
}

void GpkgNodes::save_mirrored(std::string_view collection, const std::vector<federation::MirroredFeature>& put,
                              const std::vector<std::string>& removed) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  {
    auto s = db_->cached("INSERT OR REPLACE INTO amis_mirrored (collection, source_id, fid, digest) VALUES (?, ?, ?, ?)");
    for (const auto& m : put) {
      s->bind(1, collection);
      s->bind(2, std::string_view(m.source_id));
      s->bind(3, m.fid);
      s->bind(4, std::string_view(m.digest));
      s->run();
      s->reset();
    }
  }
  {
    auto s = db_->cached("DELETE FROM amis_mirrored WHERE collection = ? AND source_id = ?");
    for (const auto& id : removed) {
      s->bind(1, collection);
      s->bind(2, std::string_view(id));
      s->run();
      s->reset();
    }
  }
  tx.commit();
}

}  // namespace amis::store::gpkg
