#pragma once
// The background side of the usage statistics: a thread drains the recorder's
// queue ten times a second, turns each event into counts (the address into a country
// and a visitor digest, the User-Agent into a client class, a name the store does
// not hold into "unknown") and forgets the event; every flush_seconds it adds the
// counts to the store's hourly and daily tables, appends raw events when they are
// kept, and deletes raw events past their days.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/usage.hpp"
#include "monitor/country_database.hpp"
#include "monitor/usage_options.hpp"
#include "monitor/usage_recorder.hpp"
#include "monitor/visitor_digest.hpp"
#include "store/usage_store.hpp"

namespace amis::monitor {

class UsageAggregator {
 public:
  // The collection and layer names that exist now (read again before each write).
  using KnownNames = std::function<std::set<std::string, std::less<>>()>;
  using Clock = UsageRecorder::Clock;

  // Reads the known names at once. @throws what known_names throws.
  UsageAggregator(UsageRecorder& recorder, store::UsageStore& store, const CountryDatabase& countries,
                  KnownNames known_names, UsageOptions options, std::vector<std::string> trusted_proxies,
                  Clock clock = {});
  ~UsageAggregator();
  UsageAggregator(const UsageAggregator&) = delete;
  UsageAggregator& operator=(const UsageAggregator&) = delete;

  void start();
  // Stops the thread after a last drain and write.
  void stop();
  // Drains the queue and writes the counts now. Safe from any thread.
  void flush();

  struct Status {
    std::uint64_t written = 0;         // events whose counts reached the store
    std::uint64_t failed_writes = 0;   // writes the store refused (the counts are kept and retried)
    std::uint64_t pending = 0;         // events counted in memory, not yet written
  };
  Status status();

 private:
  void run();
  void drain();
  void add(UsageEvent&& e);
  void write();
  void count_visitor(const std::string& day, const std::string& collection, std::uint64_t digest);

  UsageRecorder& recorder_;
  store::UsageStore& store_;
  const CountryDatabase& countries_;
  KnownNames known_names_;
  const UsageOptions options_;
  const std::vector<std::string> trusted_proxies_;
  Clock clock_;

  std::mutex mutex_;  // everything below; taken by the thread and by flush()
  std::set<std::string, std::less<>> known_;
  std::map<core::UsageKey, core::UsageTotals> hourly_, daily_;
  std::map<std::pair<std::string, std::string>, std::int64_t> new_visitors_;
  std::vector<core::UsageEventRow> events_;
  std::uint64_t pending_ = 0;
  Status status_;
  VisitorDigest digests_;
  std::string visitor_day_;
  std::unordered_set<std::uint64_t> seen_;  // today's visitors, and (visitor, collection) pairs
  // When the counts last went to the store, by the steady clock: the flush interval is real
  // time even when a test fixes the wall clock ([server] clock), which dates events and
  // decides which raw events are past their days.
  std::chrono::steady_clock::time_point last_write_;

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace amis::monitor
