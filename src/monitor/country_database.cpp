#include "monitor/country_database.hpp"

#include <maxminddb.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace amis::monitor {

struct CountryDatabase::Mmdb {
  MMDB_s handle{};
  ~Mmdb() { MMDB_close(&handle); }
};

namespace {

std::map<std::string, std::string, std::less<>> read_alpha3(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the ISO 3166 table " + path);
  const auto doc = nlohmann::json::parse(in, nullptr, false);
  if (!doc.is_object() || !doc.contains("3166-1")) throw std::runtime_error(path + " is not iso-codes' iso_3166-1.json");
  std::map<std::string, std::string, std::less<>> out;
  for (const auto& c : doc["3166-1"])
    if (c.contains("alpha_2") && c.contains("alpha_3"))
      out.emplace(c["alpha_2"].get<std::string>(), c["alpha_3"].get<std::string>());
  return out;
}

// The string at `path` of an entry, or "".
std::string entry_string(MMDB_entry_s& entry, const char* const* path) {
  MMDB_entry_data_s data{};
  if (MMDB_aget_value(&entry, &data, path) != MMDB_SUCCESS || !data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING)
    return {};
  return std::string(data.utf8_string, data.data_size);
}

}  // namespace

CountryDatabase::CountryDatabase(const std::string& mmdb_path, const std::string& iso3166_json)
    : alpha3_(read_alpha3(iso3166_json)) {
  auto db = std::make_unique<Mmdb>();
  const int status = MMDB_open(mmdb_path.c_str(), MMDB_MODE_MMAP, &db->handle);
  if (status != MMDB_SUCCESS)
    throw std::runtime_error("cannot open the country database " + mmdb_path + ": " + MMDB_strerror(status));
  db_ = std::move(db);
}

CountryDatabase::CountryDatabase() = default;
CountryDatabase::~CountryDatabase() = default;

std::string CountryDatabase::alpha3(std::string_view alpha2) const {
  const auto it = alpha3_.find(alpha2);
  return it == alpha3_.end() ? "unknown" : it->second;
}

std::string CountryDatabase::country_of(const std::string& address) const {
  if (!db_ || address.empty()) return "unknown";
  int gai_error = 0, mmdb_error = 0;
  auto result = MMDB_lookup_string(&db_->handle, address.c_str(), &gai_error, &mmdb_error);
  if (gai_error != 0 || mmdb_error != MMDB_SUCCESS || !result.found_entry) return "unknown";
  static const char* const kIpLocationDb[] = {"country_code", nullptr};
  static const char* const kGeoIp2[] = {"country", "iso_code", nullptr};
  auto code = entry_string(result.entry, kIpLocationDb);
  if (code.empty()) code = entry_string(result.entry, kGeoIp2);
  return alpha3(code);
}

}  // namespace amis::monitor
