#include "workplan/appendix_csv.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <regex>

#include "auth/account.hpp"
#include "core/error.hpp"

namespace amis::workplan {
namespace {

constexpr std::size_t kMaxBytes = 4u << 20;
constexpr std::size_t kMaxRows = 10000;
constexpr std::size_t kMaxColumns = 64;
constexpr std::size_t kMaxField = 4096;

const char* const kActivityFields[] = {"lead", "co_lead", "partners", "country_coordinator", "planned_start",
                                       "planned_end"};

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

[[noreturn]] void invalid(std::size_t row, const std::string& column, const std::string& why) {
  throw core::InvalidValue(column, "Appendix CSV row " + std::to_string(row) + ", column '" + column + "': " + why);
}

void check_country(std::size_t row, const std::string& column, const std::string& value) {
  if (!value.empty() && !auth::is_member_country(value))
    invalid(row, column, "'" + value.substr(0, 16) + "' is not an ASEAN or Plus Three ISO 3166-1 alpha-3 code");
}

void check_date(std::size_t row, const std::string& column, const std::string& value) {
  static const std::regex date(R"(\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)");
  if (!value.empty() && !std::regex_match(value, date)) invalid(row, column, "a date is YYYY, YYYY-MM or YYYY-MM-DD");
}

void check_value(std::size_t row, const std::string& column, IndicatorType type, const std::string& value) {
  if (value.empty()) return;
  if (type == IndicatorType::Count) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || p != value.data() + value.size() || n < 0)
      invalid(row, column, "a count is a whole number, 0 or more");
  } else if (type == IndicatorType::Percentage) {
    double x = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), x);
    if (ec != std::errc() || p != value.data() + value.size() || x < 0 || x > 100)
      invalid(row, column, "a percentage is a number from 0 to 100");
  }
}

std::vector<std::string> split_countries(std::size_t row, const std::string& text) {
  std::vector<std::string> out;
  std::string_view rest(text);
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    const std::string code = trim(rest.substr(0, semi));
    if (!code.empty()) {
      check_country(row, "partners", code);
      out.push_back(code);
    }
    if (semi == std::string_view::npos) break;
    rest.remove_prefix(semi + 1);
  }
  return out;
}

// Sets an activity field, or checks that an earlier row gave it the same value.
void set_field(std::map<std::string, std::map<std::string, std::string>>& given, std::size_t row,
               const std::string& activity, const std::string& field, const std::string& value) {
  if (value.empty()) return;
  auto& fields = given[activity];
  auto [it, fresh] = fields.emplace(field, value);
  if (!fresh && it->second != value)
    invalid(row, field, "activity " + activity + " was given '" + it->second.substr(0, 40) + "' on an earlier row");
}

}  // namespace

std::vector<std::vector<std::string>> read_csv(std::string_view text) {
  if (text.size() > kMaxBytes) throw core::ParsingFailed("csv", "the CSV is larger than 4 MiB");
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, field_started = false;
  auto end_field = [&] {
    if (row.size() >= kMaxColumns) throw core::ParsingFailed("csv", "a CSV row has more than 64 columns");
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    if (!(row.size() == 1 && row[0].empty())) {  // blank lines are skipped
      if (rows.size() >= kMaxRows) throw core::ParsingFailed("csv", "the CSV has more than 10,000 rows");
      rows.push_back(std::move(row));
    }
    row.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n') {
      end_row();
    } else if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') continue;
      end_row();
    } else {
      field += c;
      field_started = true;
    }
    if (field.size() > kMaxField) throw core::ParsingFailed("csv", "a CSV field is longer than 4 KiB");
  }
  if (quoted) throw core::ParsingFailed("csv", "the CSV ends inside a quoted field");
  if (field_started || !field.empty() || !row.empty()) end_row();
  return rows;
}

void import_appendix(WorkPlan& plan, std::string_view csv) {
  const auto rows = read_csv(csv);
  if (rows.empty()) throw core::InvalidValue("csv", "the Appendix CSV is empty: it needs at least its header");
  std::map<std::string, std::size_t> column;
  std::map<int, std::size_t> target_columns;
  static const std::regex target(R"(target_(\d{4}))");
  for (std::size_t i = 0; i < rows[0].size(); ++i) {
    const std::string name = trim(rows[0][i]);
    std::smatch m;
    if (std::regex_match(name, m, target)) {
      target_columns[std::stoi(m[1])] = i;
    } else if (name == "activity" || name == "output" || name == "indicator" || name == "indicator_type" ||
               name == "baseline" || std::find(std::begin(kActivityFields), std::end(kActivityFields), name) !=
                                         std::end(kActivityFields)) {
      if (!column.emplace(name, i).second) invalid(1, name, "the column is given twice");
    } else {
      invalid(1, name.substr(0, 40), "not a column of the Appendix template");
    }
  }
  if (!column.contains("activity")) invalid(1, "activity", "the column is required");
  WorkPlan result = plan;
  for (auto& a : result.activities) a.clear_appendix();
  std::map<std::string, std::map<std::string, std::string>> given;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const std::size_t line = r + 1;
    const auto& row = rows[r];
    auto cell = [&](const std::string& name) -> std::string {
      auto it = column.find(name);
      return it == column.end() || it->second >= row.size() ? std::string() : trim(row[it->second]);
    };
    const std::string id = cell("activity");
    Activity* activity = result.activity(id);
    if (!activity) invalid(line, "activity", "'" + id.substr(0, 16) + "' is not an activity of " + plan.id);
    for (const std::string field : kActivityFields) {
      const std::string value = cell(field);
      if (field == "lead" || field == "co_lead" || field == "country_coordinator") check_country(line, field, value);
      if (field == "planned_start" || field == "planned_end") check_date(line, field, value);
      if (field == "partners") split_countries(line, value);
      set_field(given, line, id, field, value);
    }
    const std::string name = cell("indicator");
    if (name.empty()) {
      if (!cell("indicator_type").empty() || !cell("baseline").empty()) invalid(line, "indicator", "a name is required");
      continue;
    }
    Indicator indicator;
    indicator.name = name;
    const auto type = parse_indicator_type(cell("indicator_type"));
    if (!type) invalid(line, "indicator_type", "one of milestone, count, percentage, text");
    indicator.type = *type;
    if (const std::string output = cell("output"); !output.empty()) {
      int n = 0;
      auto [p, ec] = std::from_chars(output.data(), output.data() + output.size(), n);
      if (ec != std::errc() || p != output.data() + output.size() || n < 1 ||
          n > static_cast<int>(activity->outputs.size()))
        invalid(line, "output", "activity " + id + " has expected outputs 1 to " +
                                    std::to_string(activity->outputs.size()));
      indicator.output = n;
    }
    indicator.baseline = cell("baseline");
    check_value(line, "baseline", indicator.type, indicator.baseline);
    for (const auto& [year, index] : target_columns) {
      const std::string value = index < row.size() ? trim(row[index]) : std::string();
      if (value.empty()) continue;
      check_value(line, "target_" + std::to_string(year), indicator.type, value);
      indicator.targets[year] = value;
    }
    for (const auto& other : activity->indicators)
      if (other.name == indicator.name) invalid(line, "indicator", "activity " + id + " has this indicator already");
    activity->indicators.push_back(std::move(indicator));
  }
  for (const auto& [id, fields] : given) {
    Activity* activity = result.activity(id);
    for (const auto& [field, value] : fields) {
      if (field == "lead") activity->lead = value;
      if (field == "co_lead") activity->co_lead = value;
      if (field == "country_coordinator") activity->country_coordinator = value;
      if (field == "planned_start") activity->planned_start = value;
      if (field == "planned_end") activity->planned_end = value;
      if (field == "partners") activity->partners = split_countries(0, value);
    }
  }
  plan = std::move(result);
}

std::string appendix_template(const WorkPlan& plan) {
  std::string out = "activity,lead,co_lead,partners,country_coordinator,planned_start,planned_end,output,indicator,"
                    "indicator_type,baseline";
  for (int y = plan.period_start; y <= plan.period_end; ++y) out += ",target_" + std::to_string(y);
  out += "\r\n";
  for (const auto& a : plan.activities) out += a.id + ",,,,,,,,,,\r\n";
  return out;
}

}  // namespace amis::workplan
