// read_recorded_drive (exhibit/image_info.hpp): `exhibit info` shows what the drive said behind
// the bus, which only our record beside the image knows.
#include "exhibit/image_info.hpp"

#include "image/unit_reader.hpp"
#include "report/record.hpp"

namespace exhibit {

Result<std::optional<DriveIdentity>> read_recorded_drive(const std::string& first_segment) {
  const auto base = image::image_base(first_segment);
  if (!base) return std::optional<DriveIdentity>{};
  auto record = report::read_record(report::record_path_for_base(*base));
  if (!record) {
    if (record.error().code() == ErrorCode::NotFound) return std::optional<DriveIdentity>{};
    return record.error();
  }
  return record->drive;
}

}  // namespace exhibit
