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
  if (who.role != auth::Role::Editor) return;
  const auto& rules = rules_.rules(collection.id);
  const std::string& property = rules.country_property;
  if (property.empty() || !collection.property(property))
    throw core::Forbidden("collection '" + collection.id + "' has no country property: only reviewers and "
                          "administrators change it");
  if (before) {
    const std::string country = country_of(*before, property);
    if (country != who.country)
      throw core::Forbidden("an editor for " + who.country + " may not change a feature of " +
                            (country.empty() ? std::string("no country") : country));
  }
  if (after) {
    if (after->properties[property].is_null()) after->properties[property] = who.country;
    const std::string country = country_of(*after, property);
    if (country != who.country)
      throw core::Forbidden("an editor for " + who.country + " may not " + (before ? "move" : "create") +
                            " a feature " + (before ? "to " : "in ") + (country.empty() ? "no country" : country) +
                            " ('" + property + "')");
  }
  if (rules.scope) {
    if (before) check_scope(who, *rules.scope, *before);
    if (after) check_scope(who, *rules.scope, *after);
  }
}

bool EditingPolicy::publishes_directly(const auth::Principal& who, std::string_view collection) const {
  const auto& roles = rules_.rules(collection).direct_publish;
  return std::find(roles.begin(), roles.end(), who.role) != roles.end();
}

void EditingPolicy::check_author(const auth::Principal& who, const ChangeSet& cs) const {
  if (who.user != cs.author)
    throw core::Forbidden("change set " + std::to_string(cs.id) + " belongs to " + cs.author);
}

void EditingPolicy::check_reviewer(const auth::Principal& who, const ChangeSet& cs) const {
  if (who.role == auth::Role::Editor) throw core::Forbidden("reviewing change sets is not allowed to editors");
  if (who.role == auth::Role::Reviewer && who.user == cs.author)
    throw core::Forbidden("a reviewer may not review their own change set " + std::to_string(cs.id));
}

bool EditingPolicy::may_read(const auth::Principal& who, const ChangeSet& cs) const {
  return who.role != auth::Role::Editor || who.user == cs.author;
}

}  // namespace amis::edit
