#pragma once
// The process's own figures under the names every Prometheus client library uses
// (process_resident_memory_bytes, process_cpu_seconds_total, ...), read from /proc.
#include "monitor/prometheus_text.hpp"

namespace amis::monitor {

// Appends what /proc/self tells; a figure that cannot be read is left out.
void write_process_metrics(PrometheusText& out);

}  // namespace amis::monitor
