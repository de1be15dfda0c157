#pragma once
// The Prometheus text exposition format 0.0.4: what `/metrics` answers. Each metric
// family is announced once (HELP, TYPE) before its samples; label values are escaped
// (backslash, double quote, line feed) so that no name can break a line.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace amis::monitor {

using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

class PrometheusText {
 public:
  // type: "counter", "gauge" or "histogram".
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const Labels& labels, double value);
  // A number as a sample or an `le` label writes it.
  static std::string bound(double value);
  const std::string& text() const { return text_; }
  static constexpr std::string_view kMediaType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  std::string text_;
};

// A label value escaped as the format asks.
std::string escape_label_value(std::string_view value);

}  // namespace amis::monitor
