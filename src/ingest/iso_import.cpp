#include "ingest/iso_import.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <fstream>
#include <future>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "catalog/iso19139_reader.hpp"
#include "core/error.hpp"
#include "encode/geojson_writer.hpp"
#include "store/catalog_row.hpp"

namespace amis::ingest {
namespace {

// Documents read in parallel per batch, then written in order.
constexpr std::size_t kBatch = 2048;

// A document read: its record, prepared for the store when it carries its own
// `updated` (the writer's thread then only writes it), or the reason it was refused.
struct ReadResult {
  std::optional<catalog::Record> record;
  std::string refused;
  std::optional<store::PreparedRecord> prepared;
};

ReadResult prepared(catalog::Record record, const std::string& now) {
  record.origin = catalog::RecordOrigin::Authored;
  record.provenance = catalog::Provenance{"import", record.id, now, record.updated};
  if (record.updated.empty()) return {std::move(record), {}, std::nullopt};  // stamped by the store as it writes
  auto ready = store::prepare_record(record);
  return {std::nullopt, {}, std::move(ready)};
}

ReadResult read_document(const std::filesystem::path& file, const catalog::IsoSchema& schema, const std::string& now) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return {std::nullopt, "cannot be read: " + ec.message(), std::nullopt};
  if (size > catalog::kMaxIsoDocumentBytes)
    return {std::nullopt, "larger than the 8 MiB an ISO document may have", std::nullopt};
  std::ifstream in(file, std::ios::binary);
  std::string text(size, '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(size))) return {std::nullopt, "cannot be read", std::nullopt};
  try {
    return prepared(catalog::read_iso19139(text, schema), now);
  } catch (const core::OgcError& e) {
    if (core::hidden_from_client(e)) throw;
    return {std::nullopt, e.what(), std::nullopt};
  }
}

}  // namespace

std::vector<std::filesystem::path> iso_documents(const std::vector<std::filesystem::path>& sources) {
  std::vector<std::filesystem::path> files;
  for (const auto& source : sources) {
    if (std::filesystem::is_directory(source)) {
      std::vector<std::filesystem::path> found;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(source))
        if (entry.is_regular_file() && entry.path().extension() == ".xml") found.push_back(entry.path());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::is_regular_file(source)) {
      files.push_back(source);
    } else {
      throw core::InvalidParameter("source", "'" + source.string() + "' is neither a file nor a folder");
    }
  }
  return files;
}

namespace {

// Reads files[first, first + n) on `threads` threads.
std::vector<ReadResult> read_batch(const std::vector<std::filesystem::path>& files, std::size_t first, std::size_t n,
                                   unsigned threads, const catalog::IsoSchema& schema, const std::string& now) {
  std::vector<ReadResult> batch(n);
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    try {
      for (std::size_t i; (i = next.fetch_add(1)) < n;) batch[i] = read_document(files[first + i], schema, now);
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = n;
    }
  };
  std::vector<std::jthread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  pool.clear();  // joins
  if (failure) std::rethrow_exception(failure);
  return batch;
}

}  // namespace

IsoImportReport import_iso_documents(const IsoImportOptions& options, const catalog::IsoSchema& schema,
                                     store::CatalogStore& catalog,
                                     const std::function<void(std::int64_t, std::int64_t)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  const auto files = iso_documents(options.sources);
  const unsigned threads = std::max(1u, options.threads ? options.threads : std::thread::hardware_concurrency());
  const std::string now = encode::utc_timestamp();
  IsoImportReport report;
  auto writer = catalog.bulk_writer();
  // The next batch is read while this one is written: the store writes on one thread.
  auto read_from = [&](std::size_t first) {
    return std::async(std::launch::async, read_batch, std::cref(files), first,
                      std::min(kBatch, files.size() - first), threads, std::cref(schema), std::cref(now));
  };
  std::future<std::vector<ReadResult>> next;
  if (!files.empty()) next = read_from(0);
  for (std::size_t first = 0; first < files.size(); first += kBatch) {
    auto batch = next.get();
    if (first + kBatch < files.size()) next = read_from(first + kBatch);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      auto& result = batch[i];
      if (result.prepared) writer->put(*result.prepared);
      else if (result.record) writer->put(*result.record);
      else {
        report.refused.push_back({files[first + i], std::move(result.refused)});
        continue;
      }
      ++report.imported;
    }
    if (progress) progress(static_cast<std::int64_t>(first + batch.size()), static_cast<std::int64_t>(files.size()));
  }
  writer->commit();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace amis::ingest
