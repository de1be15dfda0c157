#include "federation/harvest.hpp"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "encode/geojson_writer.hpp"  // utc_timestamp
#include "federation/node_client.hpp"
#include "federation/page_prefetch.hpp"

namespace amis::federation {
namespace {

std::string hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

// What one run changes, page by page.
class Run {
 public:
  Run(const Node& node, store::CatalogStore& catalog, store::NodeStore& nodes)
      : node_(node), catalog_(catalog), nodes_(nodes) {
    for (auto& e : nodes_.harvested(node.name)) known_.emplace(e.source_id, std::move(e));
    report_.node = node.name;
    report_.started = encode::utc_timestamp();
  }

  // One transaction per page, begun only for a page with something to write (an
  // unchanged page costs the store nothing).
  void take(SourcePage& page) {
    std::unique_ptr<store::RecordWriter> writer;
    std::vector<HarvestedEntry> entries;
    const std::int64_t failed_before = report_.failed;
    for (auto& item : page.items) take_item(item, writer, entries);
    for (auto& f : page.failures) fail(std::move(f.source_id), std::move(f.reason));
    if (page.validated && report_.failed == failed_before) keep(page);
    if (entries.empty()) return;
    writer->commit();
    nodes_.save_harvested(node_.name, entries, {});
  }

  // Records the source did not list any more leave the catalogue.
  void withdraw_unseen() {
    std::vector<std::string> gone;
    for (const auto& [source_id, entry] : known_)
      if (!seen_.contains(source_id)) gone.push_back(source_id);
    if (gone.empty()) return;
    auto writer = catalog_.writer();
    for (const auto& source_id : gone) writer->remove(known_.at(source_id).record_id);
    writer->commit();
    nodes_.save_harvested(node_.name, {}, gone);
    report_.withdrawn = static_cast<std::int64_t>(gone.size());
  }

  // The pages kept for the next run's conditional GETs, once the run is complete.
  void save_pages() { nodes_.save_harvested_pages(node_.name, pages_); }

  void fail(std::string source_id, std::string reason) {
    ++report_.failed;
    if (report_.failures.size() < kMaxReportedFailures) report_.failures.push_back({std::move(source_id), std::move(reason)});
  }

  HarvestRun& report() { return report_; }

  // Whether take() will read the item: new or changed since the last run. Reads
  // only what the constructor filled, so the page prefetch may ask from its thread.
  bool wanted(const SourceItem& item) const {
    if (item.source_id.empty()) return false;
    const auto known = known_.find(item.source_id);
    return known == known_.end() || known->second.digest != item.digest;
  }

 private:
  void keep(SourcePage& page) {
    // A URL listed twice (a next link back to a page already read) is kept once.
    if (!kept_urls_.insert(page.validated->url).second) return;
    HarvestedPage kept = std::move(*page.validated);
    kept.items.clear();
    kept.items.reserve(page.items.size());
    for (const auto& item : page.items) kept.items.emplace_back(item.source_id, item.digest);
    pages_.push_back(std::move(kept));
  }

  void take_item(SourceItem& item, std::unique_ptr<store::RecordWriter>& writer, std::vector<HarvestedEntry>& entries) {
    if (item.source_id.empty()) return fail("(no id)", "a record without an identifier");
    if (!seen_.insert(item.source_id).second) return fail(item.source_id, "listed twice by the source");
    ++report_.seen;
    const auto known = known_.find(item.source_id);
    if (known != known_.end() && known->second.digest == item.digest) {
      ++report_.unchanged;
      return;
    }
    HarvestedEntry entry{item.source_id, harvested_record_id(node_.name, item.source_id), item.digest,
                         item.source_modified};
    try {
      catalog::Record r = item.read();
      r.id = entry.record_id;
      r.origin = catalog::RecordOrigin::Harvested;
      if (r.country.empty()) r.country = node_.country;
      r.external_ids.push_back({node_.url, item.source_id});
      r.provenance = catalog::Provenance{node_.name, item.source_id, report_.started, item.source_modified};
      if (r.updated.empty()) r.updated = item.source_modified.empty() ? report_.started : item.source_modified;
      if (!writer) writer = catalog_.writer();
      writer->put(r);
    } catch (const core::OgcError& e) {
      return fail(item.source_id, e.what());
    } catch (const std::exception& e) {  // a reader's own failure (bad JSON types): the record's, not the run's
      return fail(item.source_id, e.what());
    }
    ++(known == known_.end() ? report_.added : report_.updated);
    entries.push_back(std::move(entry));
  }

  const Node& node_;
  store::CatalogStore& catalog_;
  store::NodeStore& nodes_;
  std::unordered_map<std::string, HarvestedEntry> known_;
  std::unordered_set<std::string> seen_;
  std::vector<HarvestedPage> pages_;
  std::unordered_set<std::string> kept_urls_;
  HarvestRun report_;
};

}  // namespace

std::string content_digest(std::string_view content) {
  unsigned char out[16];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(content.data()), content.size(), nullptr, 0);
  return hex(out, sizeof out);
}

std::string harvested_record_id(std::string_view node, std::string_view source_id) {
  std::string id = std::string(node) + ":" + std::string(source_id);
  if (catalog::is_valid_record_id(id)) return id;
  return std::string(node) + ":h" + content_digest(source_id);
}

HarvestRun harvest(const Node& node, HarvestSource& source, store::CatalogStore& catalog, store::NodeStore& nodes,
                   const HarvestOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  Run run(node, catalog, nodes);
  bool complete = true;
  double blocked_seconds = 0;
  {
    PagePrefetch pages(source, [&run](const SourceItem& item) { return run.wanted(item); });
    bool any_page = false;
    for (int page = 1;; ++page) {
      PrefetchedPage p = pages.next();
      if (p.error) {
        // The node down from the first page on: the run fails; nothing is withdrawn.
        if (!any_page) {
          run.report().status = RunStatus::Failed;
          run.report().error = *p.error;
          complete = false;
          break;
        }
        run.fail("page " + std::to_string(page), *p.error);
        complete = false;
        if (p.resumable) continue;
        break;
      }
      if (!p.page) break;
      any_page = true;
      run.take(*p.page);
    }
    blocked_seconds = pages.blocked_seconds();
  }  // the fetching thread has ended: the source's figures may be read
  HarvestRun& report = run.report();
  if (complete) {
    run.withdraw_unseen();
    run.save_pages();
  }
  if (report.status != RunStatus::Failed && report.failed > 0) report.status = RunStatus::Partial;
  report.finished = encode::utc_timestamp();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The node's time the harvest waited for: the time it spent waiting for a page,
  // no more than the time the exchanges took (the rest of a wait was the listing's
  // own reading of a page, which is work).
  report.work_seconds = std::max(0.0, report.seconds - std::min(blocked_seconds, options.waited_seconds()));
  return report;
}

}  // namespace amis::federation
