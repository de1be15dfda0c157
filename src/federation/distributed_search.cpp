#include "federation/distributed_search.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "catalog/record_order.hpp"
#include "core/error.hpp"
#include "federation/csw_page.hpp"
#include "federation/ogcapi_reader.hpp"

namespace amis::federation {
namespace {

using Clock = std::chrono::steady_clock;

// What the threads of one search share with the request that waits for them; a
// thread cut off at the deadline ends on its own and drops its part.
struct SearchState {
  std::mutex mutex;
  std::condition_variable answered;
  std::vector<NodeSearchResult> results;
  std::vector<bool> done;
  std::vector<bool> arrived;  // its answer came before the deadline and is being read
  std::size_t remaining = 0;
  std::size_t reading = 0;    // answers arrived and not yet read
};

bool searchable(NodeKind kind) { return kind == NodeKind::Amis || kind == NodeKind::Csw || kind == NodeKind::Records; }

// The items of the catalogue a Records node's URL names (as the harvest reads it).
NodeUrl records_items(const NodeUrl& base, const std::string& query) {
  const std::string path = base.path();
  if (path.ends_with("/items")) return with_path(base, "", query);
  if (path.find("/collections/") != std::string::npos) return with_path(base, "/items", query);
  return with_path(base, "/collections/catalog/items", query);
}

// An AMIS node's CSW endpoint: its service root (the URL before /collections/...) and /csw.
NodeUrl amis_csw(const NodeUrl& base, const std::string& query) {
  NodeUrl root = base;
  const std::string path = base.path();
  const auto at = path.find("/collections");
  root.target = at == std::string::npos ? path : path.substr(0, at);
  return with_path(root, "/csw", query);
}

void read_records_answer(const std::string& body, NodeSearchResult& out) {
  const auto doc = read_json_document(body);
  const auto features = doc.find("features");
  if (features == doc.end() || !features->is_array())
    throw core::ParsingFailed("answer", "the node's answer is no FeatureCollection of records");
  for (const auto& feature : *features) {
    try {
      out.records.push_back(record_from_ogcapi(feature));
    } catch (const std::exception&) {
      ++out.outcome.unreadable;
    }
  }
  if (auto m = doc.find("numberMatched"); m != doc.end() && m->is_number_integer()) out.outcome.matched = m->get<std::int64_t>();
}

void read_csw_answer(const std::string& body, const catalog::IsoSchema& schema, NodeSearchResult& out) {
  auto page = read_csw_records_page(body, schema);
  out.outcome.matched = page.matched;
  out.outcome.unreadable = static_cast<std::int64_t>(page.page.failures.size());
  for (auto& item : page.page.items) {
    try {
      out.records.push_back(item.read());
    } catch (const std::exception&) {
      ++out.outcome.unreadable;
    }
  }
}

// The request for `node`, or nullopt with the reason in `outcome` when it is not asked.
struct NodeRequest {
  NodeUrl url;
  bool csw = false;
  bool passes_deadline = false;
};

std::optional<NodeRequest> node_request(const Node& node, const ForwardedSearch& search, NodeSearchOutcome& outcome) {
  const NodeUrl base = parse_node_url(node.url);
  const bool over_csw = node.kind == NodeKind::Csw || (node.kind == NodeKind::Amis && search.amis_over_csw);
  const ForwardedRequest& request = node.kind == NodeKind::Csw      ? search.csw
                                    : node.kind == NodeKind::Records ? search.records
                                    : search.amis_over_csw          ? search.csw
                                                                    : search.amis_records;
  if (!request.query) {
    outcome.reason = request.refusal;
    return std::nullopt;
  }
  if (node.kind == NodeKind::Csw) return NodeRequest{with_path(base, "", *request.query), true, false};
  const bool passes = node.kind == NodeKind::Amis && request.passes_deadline;
  if (over_csw) return NodeRequest{amis_csw(base, *request.query), true, passes};
  return NodeRequest{records_items(base, *request.query), false, passes};
}

const catalog::IsoSchema& loaded_schema(catalog::IsoSchemaOnce& schemas) {
  try {
    return schemas.get();
  } catch (const std::exception&) {
    throw core::ServerError("the ISO 19139 schemas could not be loaded");
  }
}

// What a node searching further is given: the time left, less a margin for its
// merge and its answer's way back (a fifth, at least 250 ms): its answer must arrive
// here before this node's deadline.
NodeUrl with_deadline(NodeUrl url, std::chrono::milliseconds left) {
  const auto margin = std::max(std::chrono::milliseconds(250), left / 5);
  const auto passed = std::max<std::int64_t>(1, (left - margin).count());
  url.target += (url.target.find('?') == std::string::npos ? "?" : "&") + std::string("deadline=") +
                std::to_string(passed);
  return url;
}

// Notes that a node's answer came (at `at`) before the deadline: its reading may end after it.
void mark_arrived(SearchState& state, std::size_t index, Clock::time_point at, Clock::time_point deadline) {
  std::lock_guard lock(state.mutex);
  if (at > deadline || index >= state.results.size() || state.done[index]) return;
  state.arrived[index] = true;
  ++state.reading;
}

class Pending final : public PendingSearch {
 public:
  Pending(std::shared_ptr<SearchState> state, Clock::time_point deadline, Clock::duration read_grace,
          Clock::time_point start, std::shared_ptr<std::atomic<int>> searching)
      : state_(std::move(state)), deadline_(deadline), read_grace_(read_grace), start_(start),
        searching_(std::move(searching)) {}
  ~Pending() override {
    if (searching_) searching_->fetch_sub(1);
  }
  Pending(const Pending&) = delete;
  Pending& operator=(const Pending&) = delete;

  std::vector<NodeSearchResult> wait() override {
    std::unique_lock lock(state_->mutex);
    state_->answered.wait_until(lock, deadline_, [&] { return state_->remaining == 0; });
    // An answer that came in time is read, for at most the grace: reading it is this
    // node's own work (the ISO schemas' first load, validation), not the node's slowness.
    if (state_->remaining > 0 && state_->reading > 0)
      state_->answered.wait_until(lock, deadline_ + read_grace_, [&] { return state_->reading == 0; });
    std::vector<NodeSearchResult> out;
    for (std::size_t i = 0; i < state_->results.size(); ++i) {
      if (state_->done[i]) {
        out.push_back(std::move(state_->results[i]));
        continue;
      }
      // Cut off: its thread still owns its slot; only the outcome is copied.
      NodeSearchResult cut;
      cut.outcome.node = state_->results[i].outcome.node;
      cut.outcome.kind = state_->results[i].outcome.kind;
      cut.outcome.status = NodeSearchStatus::CutOff;
      cut.outcome.reason = state_->arrived[i] ? "the node's answer could not be read in time"
                                              : "the node did not answer before the search's deadline";
      cut.outcome.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
      out.push_back(std::move(cut));
    }
    state_->results.clear();  // a late thread finds its slot gone
    state_->done.assign(state_->done.size(), true);
    return out;
  }

 private:
  std::shared_ptr<SearchState> state_;
  Clock::time_point deadline_;
  Clock::duration read_grace_;
  Clock::time_point start_;
  std::shared_ptr<std::atomic<int>> searching_;  // counted while this search may wait
};

std::atomic<int>& in_flight() {
  static std::atomic<int> count{0};
  return count;
}

}  // namespace

std::string_view to_string(NodeSearchStatus status) {
  switch (status) {
    case NodeSearchStatus::Answered: return "answered";
    case NodeSearchStatus::CutOff: return "cut-off";
    case NodeSearchStatus::Failed: return "failed";
    case NodeSearchStatus::Skipped: return "skipped";
  }
  return "skipped";
}

std::optional<std::chrono::milliseconds> parse_search_deadline(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc{} || end != text->data() + text->size() || v < 1 || v > 600000)
    throw core::InvalidParameter("deadline", "the milliseconds the search has left, 1 to 600000");
  return std::chrono::milliseconds(v);
}

std::unique_ptr<PendingSearch> DistributedSearch::start(const ForwardedSearch& search,
                                                        std::optional<std::chrono::milliseconds> given) {
  const auto start = Clock::now();
  const auto deadline = start + (given ? std::min(*given, options_.deadline) : options_.deadline);
  auto state = std::make_shared<SearchState>();
  const bool admitted = searching_->fetch_add(1) < options_.max_searches;
  if (!admitted) searching_->fetch_sub(1);
  std::vector<std::pair<std::size_t, NodeRequest>> asks;
  std::vector<Node> asked_nodes;
  for (auto& node : nodes_.nodes()) {
    if (!searchable(node.kind)) continue;
    NodeSearchResult slot;
    slot.outcome.node = node.name;
    slot.outcome.kind = node.kind;
    std::optional<NodeRequest> request;
    if (!admitted) {
      slot.outcome.reason = "too many distributed searches at once: this one stayed local";
      state->results.push_back(std::move(slot));
      state->done.push_back(true);
      state->arrived.push_back(false);
      continue;
    }
    try {
      request = node_request(node, search, slot.outcome);
    } catch (const std::exception&) {
      slot.outcome.reason = "the node's registered URL is not one";
    }
    if (request && in_flight().fetch_add(1) >= options_.max_in_flight) {
      in_flight().fetch_sub(1);
      slot.outcome.reason = "too many distributed searches at once";
      request.reset();
    }
    const std::size_t index = state->results.size();
    state->results.push_back(std::move(slot));
    state->done.push_back(!request);
    state->arrived.push_back(false);
    if (request) {
      asks.emplace_back(index, std::move(*request));
      asked_nodes.push_back(std::move(node));
    }
  }
  state->remaining = asks.size();
  for (std::size_t i = 0; i < asks.size(); ++i) {
    const auto index = asks[i].first;  // not a structured binding: clang cannot capture one
    auto request = std::move(asks[i].second);
    std::thread([state, index, url = std::move(request.url), csw = request.csw, passes = request.passes_deadline,
                 node = std::move(asked_nodes[i]), &getter = getter_, &schemas = schema_, deadline, start,
                 max_bytes = options_.max_bytes] {
      NodeSearchResult result;
      result.outcome.node = node.name;
      result.outcome.kind = node.kind;
      try {
        FetchLimits limits;
        limits.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        limits.max_bytes = max_bytes;
        limits.retries = 0;
        if (limits.timeout.count() <= 0) throw FetchFailed("the node did not answer in time", true, 0, true);
        NodeClient client(node, getter, limits);
        const std::string body = client.get(passes ? with_deadline(url, limits.timeout) : url,
                                            csw ? "application/xml, text/xml" : "application/geo+json, application/json");
        mark_arrived(*state, index, Clock::now(), deadline);
        // The ISO 19139 schemas are loaded (once per process) when a CSW answer is there to
        // read, not before the nodes are asked: their first load would otherwise come out
        // of every asked node's time, and an AMIS node searching further would get a
        // deadline its answer could no longer meet.
        if (csw) read_csw_answer(body, loaded_schema(schemas), result);
        else read_records_answer(body, result);
        result.outcome.status = NodeSearchStatus::Answered;
        result.outcome.returned = static_cast<std::int64_t>(result.records.size());
      } catch (const FetchFailed& e) {
        result.outcome.status = e.timed_out() ? NodeSearchStatus::CutOff : NodeSearchStatus::Failed;
        result.outcome.reason = e.what();
      } catch (const core::OgcError& e) {
        result.outcome.status = NodeSearchStatus::Failed;
        result.outcome.reason = e.status() >= 500 ? "the node's answer could not be read" : e.what();
      } catch (const std::exception&) {
        result.outcome.status = NodeSearchStatus::Failed;
        result.outcome.reason = "the node's answer could not be read";
      }
      result.outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      in_flight().fetch_sub(1);
      std::lock_guard lock(state->mutex);
      if (index < state->results.size() && !state->done[index]) {
        state->results[index] = std::move(result);
        state->done[index] = true;
        if (state->arrived[index]) --state->reading;
        --state->remaining;
        if (state->remaining == 0 || state->reading == 0) state->answered.notify_all();
      }
    }).detach();
  }
  // Asked by a node searching further: a tenth of its time at most, within the margin it kept
  // for this answer's way back (with_deadline), so that it does not cut this node off.
  const auto grace = given ? std::min(options_.read_grace, *given / 10) : options_.read_grace;
  return std::make_unique<Pending>(state, deadline, grace, start, admitted ? searching_ : nullptr);
}

MergedRecords merge_records(std::vector<catalog::Record> local, std::vector<NodeSearchResult>& nodes,
                            const std::vector<core::SortKey>& sortby) {
  MergedRecords out;
  std::unordered_set<std::string> seen;
  auto take = [&](catalog::Record& r) {
    const bool by_id = seen.count(r.id) > 0;
    const bool by_source = r.provenance && !r.provenance->source_id.empty() && seen.count(r.provenance->source_id) > 0;
    if (by_id || by_source) {
      ++out.duplicates;
      return;
    }
    seen.insert(r.id);
    if (r.provenance && !r.provenance->source_id.empty()) seen.insert(r.provenance->source_id);
    out.records.push_back(std::move(r));
  };
  std::vector<std::vector<catalog::Record>*> sources{&local};
  for (auto& n : nodes) sources.push_back(&n.records);
  for (std::size_t rank = 0;; ++rank) {
    bool any = false;
    for (auto* source : sources) {
      if (rank >= source->size()) continue;
      any = true;
      take((*source)[rank]);
    }
    if (!any) break;
  }
  if (!sortby.empty())
    std::stable_sort(out.records.begin(), out.records.end(),
                     [&](const catalog::Record& a, const catalog::Record& b) { return catalog::ordered_before(a, b, sortby); });
  return out;
}

}  // namespace amis::federation
