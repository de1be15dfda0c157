// Uploaded zip archives are checked by AMIS's own reading of their central
// directory before GDAL sees them: it may only refuse (InvalidValue), and what
// it accepts names one dataset with a safe name within the limits.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "ingest/zip_archive.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view zip(reinterpret_cast<const char*>(data), size);
  amis::ingest::UploadLimits limits;
  limits.max_entries = 50;
  try {
    const auto entries = amis::ingest::zip_entries(zip);
    const auto dataset = amis::ingest::dataset_in_zip(zip, limits);
    if (!amis::ingest::safe_entry_name(dataset)) __builtin_trap();
    if (entries.size() > limits.max_entries) __builtin_trap();
  } catch (const amis::core::InvalidValue&) {
  }
  return 0;
}
