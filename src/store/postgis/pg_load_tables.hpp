#pragma once
// The loading tables of imports (amis_data.amis_load_…, see pg_collection_writer.hpp)
// and who owns them. An import holds a session advisory lock named after its table
// from before it creates the table until the table is renamed or dropped. A process
// that dies (kill -9, a lost machine) loses its session and so the lock: its table is
// then abandoned, and the next import, or the next process that opens the store (a node
// starting), drops it. A table whose lock another session holds (an import running on
// another node) is left alone.
#include <string>

#include "store/postgis/pg_connection.hpp"

namespace amis::store::postgis {

// Takes the lock of loading table `name` (unqualified) on this connection's session.
void hold_load_table(Connection& connection, const std::string& name);
// Gives it back (the connection goes back to the pool afterwards).
void release_load_table(Connection& connection, const std::string& name);
// Drops every loading table whose lock nobody holds; returns how many.
int drop_abandoned_load_tables(Connection& connection);

}  // namespace amis::store::postgis
