// WFS-T Transaction documents from clients, run against a real store: the
// transaction may only fail with OgcError (an exception report), and a
// transaction that succeeds answers a TransactionResponse.
#include <cpl_error.h>
#include <ogr_api.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "api/wfs/wfs_transaction.hpp"
#include "auth/authenticator.hpp"
#include "core/error.hpp"
#include "edit/change_service.hpp"
#include "store/gpkg/gpkg_accounts.hpp"
#include "store/gpkg/gpkg_change_sets.hpp"
#include "store/gpkg/gpkg_store.hpp"

namespace {

constexpr const char* kToken = "fuzzing-bootstrap-token-0123456789";

struct Answer final : amis::http::Response, amis::core::ByteSink {
  int status = 0;
  std::string body;
  void send(int s, std::string_view, std::string b, const amis::http::Headers&) override {
    status = s;
    body = std::move(b);
  }
  amis::core::ByteSink& stream(int s, std::string_view, const amis::http::Headers&) override {
    status = s;
    return *this;
  }
  bool not_modified(std::string_view, const amis::http::Headers&) override { return false; }  // no If-None-Match
  bool started() const override { return status != 0; }
  void discard_unsent() override { status = 0; }
  void write(std::string_view bytes) override { body.append(bytes); }
};

std::vector<std::uint8_t> point(double x, double y) {
  OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
  OGR_G_SetPoint_2D(g, 0, x, y);
  std::vector<std::uint8_t> wkb(static_cast<std::size_t>(OGR_G_WkbSize(g)));
  OGR_G_ExportToIsoWkb(g, wkbNDR, wkb.data());
  OGR_G_DestroyGeometry(g);
  return wkb;
}

struct Service {
  std::string path = (std::filesystem::temp_directory_path() / ("amis-wfst-fuzz-" + std::to_string(getpid()) + ".gpkg")).string();
  std::unique_ptr<amis::store::gpkg::GpkgStore> store;
  std::unique_ptr<amis::store::gpkg::GpkgAccounts> accounts;
  std::unique_ptr<amis::auth::Authenticator> authenticator;
  std::unique_ptr<amis::store::gpkg::GpkgChangeSets> change_sets;
  std::unique_ptr<amis::edit::EditingPolicy> policy;
  std::unique_ptr<amis::edit::ChangeService> changes;
  std::unique_ptr<amis::api::wfs::WfsTransaction> transactions;

  Service() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    store = std::make_unique<amis::store::gpkg::GpkgStore>(path);
    amis::core::Collection c;
    c.id = "coal_mines";
    c.geometry_type = "POINT";
    c.properties = {{"mine_name", amis::core::PropertyType::Text}, {"iso3", amis::core::PropertyType::Text},
                    {"capacity_mtpa", amis::core::PropertyType::Real},
                    {"opening_year", amis::core::PropertyType::Integer}};
    auto writer = store->replace_collection(c);
    for (int i = 0; i < 3; ++i) {
      amis::core::Value values[4];
      values[0] = {amis::core::Value::Kind::Text, 0, 0, "mine"};
      values[1] = {amis::core::Value::Kind::Text, 0, 0, "THA"};
      writer->add(point(100 + i, 13), values);
    }
    writer->commit();
    accounts = std::make_unique<amis::store::gpkg::GpkgAccounts>(path);
    authenticator = std::make_unique<amis::auth::Authenticator>(*accounts, kToken);
    change_sets = std::make_unique<amis::store::gpkg::GpkgChangeSets>(path);
    policy = std::make_unique<amis::edit::EditingPolicy>(amis::edit::EditingRules{});
    changes = std::make_unique<amis::edit::ChangeService>(*store, *change_sets, *policy);
    transactions = std::make_unique<amis::api::wfs::WfsTransaction>(*store, *changes, *authenticator);
  }
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  CPLSetErrorHandler(CPLQuietErrorHandler);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Service service;
  amis::http::Request request;
  request.method = "POST";
  request.path = "/wfs";
  request.headers["authorization"] = std::string("Bearer ") + kToken;
  request.body.assign(reinterpret_cast<const char*>(data), size);
  Answer answer;
  try {
    using amis::api::wfs::TransactionVersion;
    constexpr TransactionVersion kVersions[] = {TransactionVersion::V2_0, TransactionVersion::V1_1,
                                                TransactionVersion::V1_0};
    service.transactions->execute(request, kVersions[size % 3], "http://localhost", answer);
    if (answer.status != 200 || answer.body.find("TransactionResponse") == std::string::npos) __builtin_trap();
  } catch (const amis::core::OgcError& e) {
    if (e.status() >= 500) __builtin_trap();
  }
  return 0;
}
