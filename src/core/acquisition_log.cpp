#include "core/acquisition_log.hpp"

#include <cerrno>
#include <ctime>

#include "exhibit/setting.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace exhibit::core {

Result<AcquisitionLog> AcquisitionLog::create(const std::string& path, bool replace, io::Env& env) {
  // Replaced means removed and created anew, never written through a link at the name.
  if (replace) {
    if (auto removed = env.remove(path); !removed && removed.error().sys_errno() != ENOENT) return removed.error();
  }
  auto file = env.open(path, io::OpenMode::New);
  if (!file) {
    if (file.error().sys_errno() == EEXIST) {
      return Error(ErrorCode::AlreadyExists,
                   path + " already exists (use " + setting_text(Setting::Force) + " to replace it)");
    }
    return file.error();
  }
  return AcquisitionLog(std::move(*file), env);
}

Result<AcquisitionLog> AcquisitionLog::append(const std::string& path, io::Env& env) {
  EXHIBIT_TRY(auto file, env.open(path, io::OpenMode::Append));
  return AcquisitionLog(std::move(file), env);
}

void AcquisitionLog::write_raw(const std::string& text) {
  // A log write that fails must not stop the acquisition; the image and its hashes matter more.
  for (const auto& f : m_files) (void)f->append(text.data(), text.size());
}

void AcquisitionLog::line(const std::string& text) {
  write_raw(util::iso8601_utc(std::time(nullptr)) + "  " + text + "\n");
}

void AcquisitionLog::field(const std::string& key, const std::string& value) {
  write_raw("    " + key + ": " + util::sanitize_for_terminal(value) + "\n");
}

void AcquisitionLog::sync() {
  for (const auto& f : m_files) (void)f->sync_data();
}

Status AcquisitionLog::add_copy(const std::string& path, bool replace, bool append_to_it) {
  EXHIBIT_TRY(AcquisitionLog other, append_to_it ? append(path, *m_env) : create(path, replace, *m_env));
  m_files.push_back(std::move(other.m_files.front()));
  return Ok{};
}

void AcquisitionLog::source_section(const SourceInfo& s) {
  line("source");
  field("path", s.path);
  field("kind", s.is_block_device ? "block device" : "regular file");
  field("size", std::to_string(s.size) + " bytes (" + util::format_bytes(s.size) + ")");
  field("logical sector size", std::to_string(s.logical_sector_size));
  field("physical sector size", std::to_string(s.physical_sector_size));
  if (!s.device_name.empty()) field("device", s.device_name);
  if (!s.transport.empty()) field("transport", s.transport);
  if (!s.vendor.empty()) field("vendor", s.vendor);
  if (!s.model.empty()) field("model", s.model);
  if (!s.serial.empty()) field("serial", s.serial);
  if (!s.firmware.empty()) field("firmware", s.firmware);
  if (!s.loop_backing_file.empty()) field("loop backing file", s.loop_backing_file);
  if (s.is_block_device) field("removable", s.removable ? "yes" : "no");
  if (s.is_remote()) remote_section(s.remote);
  field("O_DIRECT reads", s.direct_io ? "yes" : "no (not supported by the file system)");
  for (const auto& m : s.mounts) field("mounted at", m);
  if (s.is_block_device || s.remote.described_by_exhibit) {
    const DriveIdentity& d = s.drive;
    line("identity behind the bus (read-only commands)");
    field("status", d.status);
    if (!d.method.empty()) field("answered by", d.method);
    for (const auto& step : d.details) field("step", step);
    if (d.hpa_sectors > 0) {
      line("HIDDEN AREA: a Host Protected Area hides " + std::to_string(d.hpa_sectors) +
           " sectors beyond the reported size; they are not in this image (the drive was not changed)");
    }
    if (d.dco_sectors > 0) {
      line("HIDDEN AREA: a Device Configuration Overlay hides " + std::to_string(d.dco_sectors) +
           " more sectors; they are not in this image (the drive was not changed)");
    }
  }
}

void AcquisitionLog::remote_section(const RemoteSource& r) {
  line("remote source (NBD): what its server said of itself");
  field("address", r.uri);
  field("link", r.tls);
  field("export offered read-only", r.server_read_only ? "yes" : "NO (exhibit only reads it)");
  if (!r.described_by_exhibit) {
    field("description", r.description.empty() ? "none (not exhibit serve: no identity)" : r.description);
    return;
  }
  field("serving host", r.host);
  field("served device", r.device);
  field("served by", r.served_by);
  for (const auto& e : r.write_block) field("served write-block", e);
}

void AcquisitionLog::write_block_section(const WriteBlockRecord& wb, bool remote) {
  line("write-block");
  field("opened", std::string("read-only") + (wb.exclusive_open ? ", exclusive (O_EXCL)" : ""));
  if (!wb.applicable) {
    field("kernel read-only flag", remote ? "not applicable here (a remote source: its server's steps are above)"
                                          : "not applicable (regular file)");
    return;
  }
  for (const auto& e : wb.events) field("event", e);
}

}  // namespace exhibit::core
