#pragma once
// The requester's country from its address: a MaxMind DB file (read with Debian's
// libmaxminddb, memory-mapped, so a lookup is a walk of a binary tree held in
// memory and never a network call). AMIS uses the CC0 "geo-whois-asn-country"
// database of the ip-location-db project (npm @ip-location-db/geo-whois-asn-country-mmdb,
// fetched by scripts/setup-debian.sh): a record {"country_code": "SG"}; a GeoIP2
// or GeoLite2 Country file ({"country": {"iso_code": "SG"}}) works as well.
// Codes are turned into ISO 3166-1 alpha-3, the member states' codes in AMIS, with
// Debian's iso-codes table.
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace amis::monitor {

class CountryDatabase {
 public:
  // No database: every lookup answers "unknown".
  CountryDatabase();
  // Opens `mmdb_path` and reads the alpha-2 to alpha-3 table of `iso3166_json`
  // (iso-codes' iso_3166-1.json). @throws std::runtime_error when either cannot be read.
  CountryDatabase(const std::string& mmdb_path, const std::string& iso3166_json);
  ~CountryDatabase();
  CountryDatabase(const CountryDatabase&) = delete;
  CountryDatabase& operator=(const CountryDatabase&) = delete;

  bool loaded() const { return db_ != nullptr; }
  // The alpha-3 code of the country of `address` (IPv4 or IPv6 text), or "unknown".
  // Safe from any thread: libmaxminddb's lookups only read the mapped file.
  std::string country_of(const std::string& address) const;
  // The alpha-3 code of an alpha-2 one, or "unknown".
  std::string alpha3(std::string_view alpha2) const;

 private:
  struct Mmdb;
  std::unique_ptr<Mmdb> db_;
  std::map<std::string, std::string, std::less<>> alpha3_;
};

}  // namespace amis::monitor
