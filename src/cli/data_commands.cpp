#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "edit/change_service.hpp"
#include "edit/reimport_plan.hpp"
#include "encode/ogr_writer.hpp"
#include "invest/country_profile.hpp"

namespace amis::cli {
namespace {

void progress_bar(double fraction) {
  const int width = 40;
  const int filled = static_cast<int>(fraction * width);
  std::fprintf(stderr, "\r[%.*s%*s] %3d%%", filled, "========================================",
               width - filled, "", static_cast<int>(fraction * 100));
  if (fraction >= 1.0) std::fprintf(stderr, "\n");
  std::fflush(stderr);
}

// The administrator a re-import is published as. @throws core::Forbidden.
auth::Principal administrator(store::AccountStore& accounts, const std::string& name) {
  const auto user = accounts.user(name);
  if (!user || user->disabled || user->role != auth::Role::Admin)
    throw core::Forbidden("--as must name an enabled administrator account of the store ('" + name + "' is not one)");
  return {user->name, auth::Role::Admin, ""};
}

// `amis import --key`: the difference between the file and the published
// collection as one change set, written and approved as the administrator's.
int import_by_key(const config::Config& config, const ingest::ImportOptions& options, const KeyedImport& keyed) {
  auto opened = store::open_store(store_location(config));
  store::Store& store = *opened.features;
  const auto collection = store.collection(options.collection);
  if (!collection) {
    std::cerr << "amis: no collection '" << options.collection << "' to import again by key: import it once without --key\n";
    return 1;
  }
  const auto admin = administrator(*opened.accounts, keyed.as_user);
  store::ChangeSetStore& change_sets = *opened.change_sets;
  const edit::EditingPolicy policy(config.editing);
  edit::ChangeService changes(store, change_sets, policy);
  auto dataset = ingest::read_dataset(*collection, options);
  auto plan = edit::plan_reimport(store, changes, *collection, std::move(dataset.features), dataset.has_geometry,
                                  keyed.key);
  const std::string summary = std::to_string(plan.inserted) + " inserted, " + std::to_string(plan.replaced) +
                              " changed, " + std::to_string(plan.deleted) + " deleted, " +
                              std::to_string(plan.unchanged) + " unchanged";
  const std::string source = std::filesystem::path(options.source).filename().string();
  if (plan.writes.empty()) {
    std::cout << "nothing to change in '" << options.collection << "' (" << summary << ")\n";
    return 0;
  }
  const std::string what = "import of " + source + " by key '" + keyed.key + "'";
  auto written = changes.write_batch(admin, *collection, std::move(plan.writes), "Import of " + source, std::nullopt);
  auto cs = written.change_set;
  if (!written.published) cs = changes.approve(admin, cs.id, what);
  change_sets.audit(admin.user, "import", "collection " + collection->id,
                    "change set " + std::to_string(cs.id) + ", " + what + ": " + summary);
  std::cout << "change set " << cs.id << " " << edit::to_string(cs.state) << " in '" << options.collection << "': "
            << summary << "\n";
  return 0;
}

}  // namespace

store::IndexRules index_rules(const config::Config& config, const std::string& collection) {
  store::IndexRules rules;
  if (auto it = config.attribute_indexes.find(collection); it != config.attribute_indexes.end())
    rules.declared = it->second;
  rules.country_property = config.editing.rules(collection).country_property;
  if (collection == invest::kProfileCollection) rules.documents = {"fields"};  // the profile document
  return rules;
}

int import_file(const config::Config& config, const ingest::ImportOptions& options,
                const std::optional<KeyedImport>& keyed) {
  if (!std::filesystem::exists(options.source) && options.source.find(':') == std::string::npos) {
    std::cerr << "amis: cannot read '" << options.source << "': no such file\n";
    return 1;
  }
  try {
    if (keyed) return import_by_key(config, options, *keyed);
  } catch (const ingest::ImportError& e) {
    std::cerr << "amis: " << e.what() << "\n";
    return 1;
  }
  ingest::ImportOptions checked = options;
  for (const auto& columns : index_rules(config, options.collection).declared)
    checked.required_properties.insert(checked.required_properties.end(), columns.begin(), columns.end());
  const auto opened = store::open_features(store_location(config));
  store::Store& store = *opened;
  std::function<void(double)> progress;
  if (::isatty(STDERR_FILENO)) progress = progress_bar;
  try {
    const auto count = ingest::import_dataset(store, checked, progress);
    std::cout << "imported " << count << " features into '" << options.collection << "'\n";
    if (const auto collection = store.collection(options.collection)) {
      const auto indexes = store::ensure_attribute_indexes(store, *collection, index_rules(config, collection->id));
      std::cout << "attribute indexes: " << store::describe_indexes(indexes) << "\n";
    }
    return 0;
  } catch (const ingest::ImportError& e) {
    if (progress) std::fprintf(stderr, "\n");
    std::cerr << "amis: " << e.what() << "\n";
    return 1;
  }
}

int export_collection(const store::StoreLocation& where, const std::string& id,
                      const std::string& format_name, const std::string& path) {
  const auto* format = encode::find_ogr_format(format_name);
  if (!format) {
    std::cerr << "amis: unknown format '" << format_name << "' (use one of " << encode::ogr_format_names() << ")\n";
    return 1;
  }
  const auto opened = store::open_features(where);
  store::Store& store = *opened;
  auto collection = store.collection(id);
  if (!collection) {
    std::cerr << "amis: no collection '" << id << "' in " << store::describe(where) << "\n";
    return 1;
  }
  try {
    encode::OgrFileWriter writer(*format, path);
    core::FeatureQuery all;
    all.collection = id;
    all.limit = std::numeric_limits<std::int64_t>::max();
    writer.begin(*collection);
    const auto count = store.features(*collection, all, writer);
    writer.end();
    std::cout << "exported " << count << " features to " << path << "\n";
    return 0;
  } catch (const encode::OgrWriteError& e) {
    std::cerr << "amis: " << e.what() << "\n";
    return 1;
  }
}

int list_collections(const store::StoreLocation& where) {
  if (!store::store_exists(where)) {
    std::cerr << "amis: no store at " << store::describe(where) << "\n";
    return 1;
  }
  const auto store = store::open_features(where);
  for (const auto& c : store->collections())
    std::cout << c.id << "\t" << c.feature_count << "\t" << c.geometry_type << "\t" << c.title << "\n";
  return 0;
}

}  // namespace amis::cli
