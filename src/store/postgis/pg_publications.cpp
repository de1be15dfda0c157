// The publications of nodes' collections in the PostGIS store (as in the
// GeoPackage: amis_publications, amis_mirrored).
#include "core/error.hpp"
#include "store/postgis/pg_nodes.hpp"

namespace amis::store::postgis {
namespace {

constexpr const char* kSelect =
    "SELECT collection, node, source_id, mode, metadata, created, synced, last_error FROM amis_publications";

federation::Publication read_publication(const Result& r, int row) {
  federation::Publication p;
  p.collection = r.text(row, 0);
  p.node = r.text(row, 1);
  p.source_id = r.text(row, 2);
  p.mode = federation::parse_publish_mode(r.text(row, 3));
  p.metadata = r.text(row, 4);
  p.created = r.text(row, 5);
  p.synced = r.text(row, 6);
  p.last_error = r.text(row, 7);
  return p;
}

}  // namespace

void PgNodes::add_publication(const federation::Publication& p) {
  auto c = pool_.acquire();
  const auto r = c->exec(
      "INSERT INTO amis_publications (collection, node, source_id, mode, metadata, created, synced, last_error) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (collection) DO NOTHING",
      Params()
          .text(p.collection)
          .text(p.node)
          .text(p.source_id)
          .text(federation::to_string(p.mode))
          .text(p.metadata)
          .text(p.created)
          .text(p.synced)
          .text(p.last_error));
  if (r.affected() == 0) throw core::Conflict("collection '" + p.collection + "' is published already");
}

std::vector<federation::Publication> PgNodes::publications() {
  auto c = pool_.acquire();
  const auto r = c->exec(std::string(kSelect) + " ORDER BY collection");
  std::vector<federation::Publication> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_publication(r, i));
  return out;
}

std::optional<federation::Publication> PgNodes::publication(std::string_view collection) {
  auto c = pool_.acquire();
  const auto r = c->exec(std::string(kSelect) + " WHERE collection = $1", Params().text(collection));
  if (r.rows() == 0) return std::nullopt;
  return read_publication(r, 0);
}

bool PgNodes::remove_publication(std::string_view collection) {
  auto c = pool_.acquire();
  Transaction tx(*c);
  c->exec("DELETE FROM amis_mirrored WHERE collection = $1", Params().text(collection));
  const bool removed =
      c->exec("DELETE FROM amis_publications WHERE collection = $1", Params().text(collection)).affected() > 0;
  tx.commit();
  return removed;
}

void PgNodes::set_publication_state(std::string_view collection, const std::string& synced,
                                    const std::string& error) {
  auto c = pool_.acquire();
  c->exec("UPDATE amis_publications SET synced = CASE WHEN $1 = '' THEN synced ELSE $1 END, last_error = $2 "
          "WHERE collection = $3",
          Params().text(synced).text(error).text(collection));
}

std::vector<federation::MirroredFeature> PgNodes::mirrored(std::string_view collection) {
  auto c = pool_.acquire();
  const auto r =
      c->exec("SELECT source_id, fid, digest FROM amis_mirrored WHERE collection = $1", Params().text(collection));
  std::vector<federation::MirroredFeature> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({std::string(r.text(i, 0)), r.integer(i, 1), std::string(r.text(i, 2))});
  return out;
}

void PgNodes::save_mirrored(std::string_view collection, const std::vector<federation::MirroredFeature>& put,
                            const std::vector<std::string>& removed) {
  auto c = pool_.acquire();
  Transaction tx(*c);
  for (const auto& m : put)
    c->exec("INSERT INTO amis_mirrored (collection, source_id, fid, digest) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (collection, source_id) DO UPDATE SET fid = EXCLUDED.fid, digest = EXCLUDED.digest",
            Params().text(collection).text(m.source_id).integer(m.fid).text(m.digest));
  for (const auto& id : removed)
    c->exec("DELETE FROM amis_mirrored WHERE collection = $1 AND source_id = $2", Params().text(collection).text(id));
  tx.commit();
}

}  // namespace amis::store::postgis
