#include "edit/change_service.hpp"

#include "core/error.hpp"
#include "edit/feature_input.hpp"

namespace amis::edit {
namespace {

std::string strong_etag(const std::string& digest) { return "\"" + digest + "\""; }

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string describe(Operation op, const core::Collection& c, std::optional<std::int64_t> fid) {
  std::string verb = op == Operation::Insert ? "New feature in " : op == Operation::Replace ? "Change of " : "Deletion of ";
  return verb + (fid ? "feature " + std::to_string(*fid) + " of " : std::string()) + c.id;
}

std::string conflict_message(std::int64_t id, const std::vector<Conflict>& conflicts) {
  std::string text = "change set " + std::to_string(id) + " conflicts with changes published since it was written:";
  for (std::size_t i = 0; i < conflicts.size(); ++i) {
    if (i == 20) {
      text += " and " + std::to_string(conflicts.size() - i) + " more";
      break;
    }
    const auto& c = conflicts[i];
    // A grid's conflict (grid_changes.cpp) names neither a feature nor a record.
    const std::string what = !c.record.empty() ? "record " + c.record + ": "
                             : c.fid != 0      ? "feature " + std::to_string(c.fid) + ": "
                                               : std::string();
    text += (i ? "; " : " ") + what + c.reason;
  }
  return text + ". Nothing was applied.";
}

}  // namespace

bool if_match_accepts(std::string_view header, const std::string& etag) {
  if (trimmed(header) == "*") return true;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const std::string tag = trimmed(header.substr(0, comma));
    if (tag == etag) return true;  // strong comparison: a weak tag (W/"...") never matches
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

std::optional<std::string> ChangeService::etag(const core::Collection& collection, std::int64_t fid) {
  auto state = change_sets_.current(collection, fid);
  if (!state) return std::nullopt;
  return strong_etag(digest(*state));
}

core::Collection ChangeService::collection_of(const ChangeSet& cs) {
  auto c = store_.collection(cs.collection);
  if (!c) throw core::Conflict("collection '" + cs.collection + "' of change set " + std::to_string(cs.id) +
                               " no longer exists");
  return *c;
}

ChangeSet ChangeService::draft_for(const auth::Principal& who, const core::Collection& collection, std::int64_t id) {
  return draft_of(who, collection.id, id);
}

ChangeSet ChangeService::draft_of(const auth::Principal& who, std::string_view target, std::int64_t id) {
  auto cs = change_sets_.change_set(id);
  if (!cs || !policy_.may_read(who, *cs)) throw core::NotFound("no change set " + std::to_string(id));
  policy_.check_author(who, *cs);
  if (cs->state != ChangeSetState::Draft)
    throw core::Conflict("change set " + std::to_string(id) + " is " + to_string(cs->state) +
                         ": only a draft takes more changes");
  if (cs->collection != target)
    throw core::Conflict("change set " + std::to_string(id) + " is for " +
                         (is_catalog(*cs) ? std::string("the catalogue") : "collection '" + cs->collection + "'"));
  return *cs;
}

bool ChangeService::exists(const ChangeSet& cs) {
  if (is_grid(cs)) return store_.raster(grid_coverage(cs)).has_value();
  return is_catalog(cs) || store_.collection(cs.collection);
}

std::vector<Conflict> ChangeService::apply(const ChangeSet& cs, const std::string& reviewer,
                                           const std::string& comment) {
  if (is_catalog(cs)) return change_sets_.approve_records(cs.id, reviewer, comment);
  if (is_grid(cs)) return apply_grid(cs, reviewer, comment);
  auto conflicts = change_sets_.approve(collection_of(cs), cs.id, reviewer, comment);
  if (conflicts.empty() && published_) published_(cs);
  return conflicts;
}

Change ChangeService::prepare(const auth::Principal& who, const core::Collection& collection, Write write) {
  std::optional<FeatureState> before;
  Change change;
  change.operation = write.operation;
  change.fid = write.fid;
  if (write.fid && write.operation == Operation::Insert) {  // restoring a deleted feature
    if (change_sets_.current(collection, *write.fid))
      throw core::Conflict("feature " + std::to_string(*write.fid) + " of '" + collection.id + "' exists");
  } else if (write.fid) {
    before = change_sets_.current(collection, *write.fid);
    if (!before)
      throw core::NotFound("no feature '" + std::to_string(*write.fid) + "' in collection '" + collection.id + "'");
    change.base = digest(*before);
    if (!write.if_match.empty() && !if_match_accepts(write.if_match, strong_etag(change.base)))
      throw core::PreconditionFailed("feature " + std::to_string(*write.fid) + " has changed: its ETag is now " +
                                     strong_etag(change.base));
  }
  policy_.check_write(who, collection, before ? &*before : nullptr, write.after ? &*write.after : nullptr);
  if (write.after) change.after = std::move(*write.after);
  return change;
}

WriteResult ChangeService::write_batch(const auth::Principal& who, const core::Collection& collection,
                                       std::vector<Write> writes, const std::string& title,
                                       std::optional<std::int64_t> into) {
  std::vector<Change> changes;
  changes.reserve(writes.size());
  for (auto& w : writes) changes.push_back(prepare(who, collection, std::move(w)));
  return submit_changes(who, collection.id, changes, title, into);
}

WriteResult ChangeService::submit_changes(const auth::Principal& who, std::string_view target,
                                          const std::vector<Change>& changes, const std::string& title,
                                          std::optional<std::int64_t> into) {
  WriteResult result;
  if (into) {
    const auto draft = draft_of(who, target, *into);
    change_sets_.add_changes(draft.id, changes);
    result.change_set = *change_sets_.change_set(draft.id);
    return result;
  }
  ChangeSet fresh;
  fresh.collection = std::string(target);
  fresh.title = title;
  fresh.author = who.user;
  fresh.country = who.country;
  fresh.state = ChangeSetState::Submitted;
  const auto cs = change_sets_.create(fresh, changes);
  if (policy_.publishes_directly(who, target)) {
    const auto conflicts = apply(cs, who.user, "published directly");
    if (!conflicts.empty()) throw core::Conflict(conflict_message(cs.id, conflicts));
    result.published = true;
    for (const auto& c : change_sets_.changes(cs.id))
      if (c.operation == Operation::Insert && c.fid) result.inserted.push_back(*c.fid);
  } else {
    change_sets_.audit(who.user, "submit", "change set " + std::to_string(cs.id),
                       std::string(target) + ", " + std::to_string(changes.size()) + " changes");
  }
  result.change_set = *change_sets_.change_set(cs.id);
  return result;
}

WriteResult ChangeService::write(const auth::Principal& who, const core::Collection& collection, Operation operation,
                                 std::optional<std::int64_t> fid, std::optional<FeatureState> after,
                                 std::string_view if_match, std::optional<std::int64_t> into) {
  std::vector<Write> writes;
  writes.push_back({operation, fid, std::move(after), std::string(if_match)});
  auto result = write_batch(who, collection, std::move(writes), describe(operation, collection, fid), into);
  result.fid = fid;
  if (!fid && !result.inserted.empty()) result.fid = result.inserted.front();
  return result;
}

WriteResult ChangeService::insert(const auth::Principal& who, const core::Collection& collection, FeatureState after,
                                  std::optional<std::int64_t> into) {
  return write(who, collection, Operation::Insert, std::nullopt, std::move(after), "", into);
}

WriteResult ChangeService::replace(const auth::Principal& who, const core::Collection& collection, std::int64_t fid,
                                   FeatureState after, std::string_view if_match, std::optional<std::int64_t> into) {
  return write(who, collection, Operation::Replace, fid, std::move(after), if_match, into);
}

WriteResult ChangeService::patch(const auth::Principal& who, const core::Collection& collection, std::int64_t fid,
                                 std::string_view body, std::string_view if_match, std::optional<std::int64_t> into) {
  auto current = change_sets_.current(collection, fid);
  if (!current) throw core::NotFound("no feature '" + std::to_string(fid) + "' in collection '" + collection.id + "'");
  return write(who, collection, Operation::Replace, fid, merge_patch(collection, *current, body), if_match, into);
}

WriteResult ChangeService::remove(const auth::Principal& who, const core::Collection& collection, std::int64_t fid,
                                  std::string_view if_match, std::optional<std::int64_t> into) {
  return write(who, collection, Operation::Delete, fid, std::nullopt, if_match, into);
}

ChangeSet ChangeService::create_draft(const auth::Principal& who, const core::Collection& collection,
                                      std::string title) {
  return new_draft(who, collection.id, std::move(title));
}

ChangeSet ChangeService::new_draft(const auth::Principal& who, std::string_view target, std::string title) {
  ChangeSet cs;
  cs.collection = std::string(target);
  cs.title = title.empty() ? "Changes to " + cs.collection : std::move(title);
  cs.author = who.user;
  cs.country = who.country;
  cs.state = ChangeSetState::Draft;
  return change_sets_.create(cs, {});
}

ChangeSet ChangeService::read(const auth::Principal& who, std::int64_t id) {
  auto cs = change_sets_.change_set(id);
  // Change sets of a collection the caller may not read do not exist for them.
  if (!cs || !policy_.may_read(who, *cs) || !exists(*cs))
    throw core::NotFound("no change set " + std::to_string(id));
  return *cs;
}

std::vector<ChangeSet> ChangeService::list(const auth::Principal& who, store::ChangeSetFilter filter) {
  if (who.role == auth::Role::Editor) {
    if (filter.author && *filter.author != who.user) return {};  // editors see their own only
    filter.author = who.user;
  }
  auto list = change_sets_.change_sets(filter);
  std::erase_if(list, [this](const ChangeSet& cs) { return !exists(cs); });
  return list;
}

ChangeSet ChangeService::submit(const auth::Principal& who, std::int64_t id) {
  auto cs = read(who, id);
  policy_.check_author(who, cs);
  if (cs.change_count == 0) throw core::Conflict("change set " + std::to_string(id) + " has no changes to submit");
  if (!change_sets_.transition(id, ChangeSetState::Draft, ChangeSetState::Submitted, "", ""))
    throw core::Conflict("change set " + std::to_string(id) + " is " + to_string(cs.state) + ", not a draft");
  change_sets_.audit(who.user, "submit", "change set " + std::to_string(id),
                     cs.collection + ", " + std::to_string(cs.change_count) + " changes");
  if (policy_.publishes_directly(who, cs.collection)) return approve(who, id, "published directly");
  return *change_sets_.change_set(id);
}

ChangeSet ChangeService::withdraw(const auth::Principal& who, std::int64_t id) {
  auto cs = read(who, id);
  policy_.check_author(who, cs);
  if (!change_sets_.transition(id, ChangeSetState::Submitted, ChangeSetState::Draft, "", ""))
    throw core::Conflict("change set " + std::to_string(id) + " is " + to_string(cs.state) + ", not submitted");
  change_sets_.audit(who.user, "withdraw", "change set " + std::to_string(id), cs.collection);
  return *change_sets_.change_set(id);
}

ChangeSet ChangeService::approve(const auth::Principal& who, std::int64_t id, const std::string& comment) {
  auto cs = read(who, id);
  if (!(cs.author == who.user && policy_.publishes_directly(who, cs.collection))) policy_.check_reviewer(who, cs);
  const auto conflicts = apply(cs, who.user, comment);
  if (!conflicts.empty()) throw core::Conflict(conflict_message(id, conflicts));
  return *change_sets_.change_set(id);
}

ChangeSet ChangeService::revert(const auth::Principal& who, std::int64_t id) {
  const auto cs = read(who, id);
  if (!auth::is_expert(who.role)) throw core::Forbidden("reverting change sets is not allowed to editors");
  if (cs.state != ChangeSetState::Approved)
    throw core::Conflict("change set " + std::to_string(id) + " is " + to_string(cs.state) + ": only an approved one is reverted");
  if (is_catalog(cs))
    throw core::Conflict("change set " + std::to_string(id) + " changed catalogue records: submit an earlier version "
                         "from a record's history instead");
  if (is_grid(cs))
    throw core::Conflict("change set " + std::to_string(id) + " replaced a grid: upload an earlier version "
                         "from the coverage's history instead");
  const auto collection = collection_of(cs);
  std::vector<Write> writes;
  std::vector<Conflict> changed;
  for (const auto& change : change_sets_.changes(id)) {
    if (!change.fid) continue;
    const auto versions = change_sets_.history(collection, *change.fid);
    std::size_t i = 0;
    while (i < versions.size() && versions[i].change_set != id) ++i;
    if (i == versions.size()) continue;
    // Reverting is safe only while the feature is as this change set left it.
    const auto now = change_sets_.current(collection, *change.fid);
    const bool as_left = now ? versions[i].state && digest(*now) == digest(*versions[i].state) : !versions[i].state;
    if (!as_left) {
      changed.push_back({*change.fid, "changed again after change set " + std::to_string(id), {}});
      continue;
    }
    const auto& before = i > 0 ? versions[i - 1].state : std::nullopt;
    if (!before) writes.push_back({Operation::Delete, change.fid, std::nullopt, ""});
    else if (!now) writes.push_back({Operation::Insert, change.fid, *before, ""});
    else writes.push_back({Operation::Replace, change.fid, *before, ""});
  }
  if (!changed.empty()) throw core::Conflict(conflict_message(id, changed));
  if (writes.empty()) throw core::Conflict("change set " + std::to_string(id) + " changed no feature");
  auto result = write_batch(who, collection, std::move(writes), "Revert of change set " + std::to_string(id), std::nullopt);
  change_sets_.audit(who.user, "revert", "change set " + std::to_string(id),
                     "by change set " + std::to_string(result.change_set.id));
  return result.change_set;
}

ChangeSet ChangeService::reject(const auth::Principal& who, std::int64_t id, const std::string& comment) {
  auto cs = read(who, id);
  policy_.check_reviewer(who, cs);
  if (comment.empty()) throw core::InvalidValue("comment", "a rejection needs a comment for the author");
  if (!change_sets_.transition(id, ChangeSetState::Submitted, ChangeSetState::Rejected, who.user, comment))
    throw core::Conflict("change set " + std::to_string(id) + " is " + to_string(cs.state) + ", not submitted");
  change_sets_.audit(who.user, "reject", "change set " + std::to_string(id), comment);
  if (is_grid(cs)) discard_grid(cs);
  return *change_sets_.change_set(id);
}

}  // namespace amis::edit
