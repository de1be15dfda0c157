#pragma once
// Helpers shared by the unit tests: a temporary store with a small collection,
// and sinks/responses that record what they receive.
#include <gdal.h>
#include <ogr_api.h>

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/feature_sink.hpp"
#include "http/response.hpp"
#include "store/gpkg/gpkg_store.hpp"

namespace amis::testing {

// A whole text file (a test's data).
inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::vector<std::uint8_t> wkb_from_wkt(const char* wkt) {
  OGRGeometryH g = nullptr;
  char* text = const_cast<char*>(wkt);
  OGR_G_CreateFromWkt(&text, nullptr, &g);
  std::vector<std::uint8_t> wkb(static_cast<size_t>(OGR_G_WkbSize(g)));
  OGR_G_ExportToIsoWkb(g, wkbNDR, wkb.data());
  OGR_G_DestroyGeometry(g);
  return wkb;
}

// A fresh GeoPackage path in the test temp directory, unique per process (ctest
// runs tests in parallel), removed with its WAL files.
class TempStorePath {
 public:
  explicit TempStorePath(const std::string& name)
      : path_((std::filesystem::temp_directory_path() /
               ("amis-unit-" + name + "-" + std::to_string(::getpid()) + ".gpkg"))
                  .string()) {
    remove();
  }
  ~TempStorePath() { remove(); }
  const std::string& str() const { return path_; }

 private:
  void remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
};

// The rows of a query read with plain SQLite (not the store's code), each
// row's first column followed by ';'.
inline std::string sqlite_text(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
  std::string out;
  while (sqlite3_step(s) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(s, 0);
    out += (text ? std::string(reinterpret_cast<const char*>(text)) : std::string("NULL")) + ";";
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

// mines: 3 points (fid 1..3) and one polygon-free layout, properties name/iso3/capacity/opened.
inline core::Collection mines_collection() {
  core::Collection c;
  c.id = "mines";
  c.title = "Mines";
  c.geometry_type = "POINT";
  c.properties = {{"name", core::PropertyType::Text},
                  {"iso3", core::PropertyType::Text},
                  {"capacity", core::PropertyType::Real},
                  {"opened", core::PropertyType::DateTime}};
  c.temporal_property = "opened";
  return c;
}

inline void write_mines(store::Store& store) {
  auto writer = store.replace_collection(mines_collection());
  struct Row { const char* wkt; const char* name; const char* iso3; double capacity; const char* opened; };
  const Row rows[] = {{"POINT (104.3 14.2)", "Han Seng", "KHM", 0.5, "2021-01-01T00:00:00.000Z"},
                      {"POINT (116.5 -1.5)", "Kaltim Prima", "IDN", 70.0, "1992-06-01T00:00:00.000Z"},
                      {"POINT (104.7 25.2)", "Bailongshan", "CHN", 3.0, "2010-03-15T08:00:00.000Z"}};
  for (const auto& r : rows) {
    const auto wkb = wkb_from_wkt(r.wkt);
    core::Value values[4];
    values[0] = {core::Value::Kind::Text, 0, 0, r.name};
    values[1] = {core::Value::Kind::Text, 0, 0, r.iso3};
    values[2] = {core::Value::Kind::Real, 0, r.capacity, {}};
    values[3] = {core::Value::Kind::Text, 0, 0, r.opened};
    writer->add(wkb, values);
  }
  writer->commit();
}

struct RecordingSink : core::FeatureSink {
  std::vector<std::int64_t> ids;
  std::vector<std::string> names;
  void begin(const core::Collection&) override {}
  void feature(const core::FeatureView& f) override {
    ids.push_back(f.id);
    names.emplace_back(f.values[0].text);
  }
  void end() override {}
};

// A Response that keeps what the handler sent, for in-process handler tests.
struct RecordingResponse : http::Response, core::ByteSink {
  int status = 0;
  std::string content_type;
  std::string body;
  http::Headers headers;
  void send(int s, std::string_view type, std::string b, const http::Headers& h) override {
    status = s;
    content_type = type;
    body = std::move(b);
    headers = h;
  }
  core::ByteSink& stream(int s, std::string_view type, const http::Headers& h) override {
    status = s;
    streaming = true;
    content_type = type;
    headers = h;
    return *this;
  }
  // These requests carry no If-None-Match: nothing is ever answered 304 here.
  bool not_modified(std::string_view, const http::Headers&) override { return false; }
  bool started() const override { return status != 0 && !streaming; }
  void discard_unsent() override {
    status = 0;
    body.clear();
    streaming = false;
  }
  bool streaming = false;
  void write(std::string_view bytes) override { body.append(bytes); }
};

}  // namespace amis::testing
