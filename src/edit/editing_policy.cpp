#include "edit/editing_policy.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace amis::edit {
namespace {

std::string country_of(const FeatureState& state, const std::string& property) {
  auto it = state.properties.find(property);
  if (it == state.properties.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

void check_scope(const auth::Principal& who, const WriteScope& scope, const FeatureState& feature) {
  std::string subject;
  const auto countries = scope.countries(feature, subject);
  if (std::find(countries.begin(), countries.end(), who.country) != countries.end()) return;
  std::string named;
  for (const auto& c : countries) named += (named.empty() ? "" : ", ") + c;
  throw core::Forbidden("an editor for " + who.country + " may not report on " + subject + ": " +
                        (named.empty() ? std::string("no country is responsible for it yet")
                                       : "the countries responsible are " + named));
}

}  // namespace

const CollectionRules& EditingRules::rules(std::string_view collection) const {
  auto it = collections.find(collection);
  return it == collections.end() ? defaults : it->second;
}

void EditingPolicy::check_write(const auth::Principal& who, const core::Collection& collection,
                                const FeatureState* before, FeatureState* after) const {
  if (rules_.published_from) {  // a national node's collection is changed at the node, by anyone
    if (const auto node = rules_.published_from(collection.id); !node.empty())
      throw core::Conflict("collection '" + collection.id + "' is published from national node '" + node +
                           "' (cascaded or mirrored, read-only here): change it at the node");
  }
  const auto& rules = rules_.rules(collection.id);
  if (!rules.derived_from.empty())
    throw core::Conflict("collection '" + collection.id + "' is derived from " + rules.derived_from +
                         " (read-only): change that instead");
  refuse_node(who);
  if (who.role != auth::Role::Editor) return;
  const std::string& property = rules.country_property;
  if (property.empty() || !collection.property(property))
    throw core::Forbidden("collection '" + collection.id + "' has no country property: only reviewers and "
                          "administrators change it");
  std::string old_country, new_country;
  if (before) old_country = country_of(*before, property);
  if (after) {
    if (after->properties[property].is_null()) after->properties[property] = who.country;
    new_country = country_of(*after, property);
  }
  check_countries(who, "feature", before ? &old_country : nullptr, after ? &new_country : nullptr,
                  " ('" + property + "')");
  if (rules.scope) {
    if (before) check_scope(who, *rules.scope, *before);
    if (after) check_scope(who, *rules.scope, *after);
  }
}

void EditingPolicy::check_record_write(const auth::Principal& who, const catalog::Record* before,
                                       catalog::Record* after) const {
  refuse_node(who);
  if (who.role != auth::Role::Editor) return;
  if (after && after->country.empty()) after->country = who.country;
  check_countries(who, "record", before ? &before->country : nullptr, after ? &after->country : nullptr,
                  " ('country')");
}

void EditingPolicy::check_countries(const auth::Principal& who, std::string_view what, const std::string* before,
                                    const std::string* after, std::string_view property) const {
  auto name = [](const std::string& country) { return country.empty() ? std::string("no country") : country; };
  if (before && *before != who.country)
    throw core::Forbidden("an editor for " + who.country + " may not change a " + std::string(what) + " of " +
                          name(*before));
  if (after && *after != who.country)
    throw core::Forbidden("an editor for " + who.country + " may not " + (before ? "move" : "create") + " a " +
                          std::string(what) + (before ? " to " : " in ") + name(*after) + std::string(property));
}

void EditingPolicy::check_grid_write(const auth::Principal& who, std::string_view coverage,
                                     const std::string& country) const {
  refuse_node(who);
  if (who.role != auth::Role::Editor) return;
  if (country.empty())
    throw core::Forbidden("coverage '" + std::string(coverage) + "' is of no member state: only reviewers and "
                          "administrators replace its grid");
  check_countries(who, "coverage", &country, &country, "");
}

bool EditingPolicy::publishes_directly(const auth::Principal& who, std::string_view collection) const {
  const auto& roles = rules_.rules(collection).direct_publish;
  return std::find(roles.begin(), roles.end(), who.role) != roles.end();
}

void EditingPolicy::refuse_node(const auth::Principal& who) {
  // Behind the authenticator's role lists, the last word: a node account's
  // token (another AMIS reading the change feed) changes nothing here.
  if (who.role == auth::Role::Node) throw core::Forbidden("a node account reads the change feed only; it changes nothing");
}

void EditingPolicy::check_author(const auth::Principal& who, const ChangeSet& cs) const {
  if (who.user != cs.author)
    throw core::Forbidden("change set " + std::to_string(cs.id) + " belongs to " + cs.author);
}

void EditingPolicy::check_reviewer(const auth::Principal& who, const ChangeSet& cs) const {
  if (!auth::is_expert(who.role))
    throw core::Forbidden(std::string("reviewing change sets is not allowed to ") + auth::to_string(who.role) + "s");
  if (who.role == auth::Role::Reviewer && who.user == cs.author)
    throw core::Forbidden("a reviewer may not review their own change set " + std::to_string(cs.id));
}

bool EditingPolicy::may_read(const auth::Principal& who, const ChangeSet& cs) const {
  return auth::is_expert(who.role) || who.user == cs.author;
}

void EditingPolicy::check_need_submit(const auth::Principal& who, std::string& country) const {
  if (who.role == auth::Role::Editor) {
    if (country.empty()) country = who.country;
    check_countries(who, "need", nullptr, &country, " ('country')");
    return;
  }
  if (!country.empty() && !auth::is_member_country(country))
    throw core::InvalidValue("country", "'country' must be one of the ASEAN+3 ISO alpha-3 codes");
}

void EditingPolicy::check_need_triage(const auth::Principal& who, const char* action) const {
  if (!is_expert(who.role))
    throw core::Forbidden(std::string(action) + " is the expert team's (reviewers and administrators), not editors'");
}

bool EditingPolicy::may_read_need(const auth::Principal& who, std::string_view submitter) const {
  return is_expert(who.role) || who.user == submitter;
}

}  // namespace amis::edit
