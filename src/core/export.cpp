#include "exhibit/export.hpp"

#include "core/output_guard.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <vector>

#include "exhibit/setting.hpp"
#include "image/chunk_codec.hpp"
#include "image/unit_reader.hpp"
#include "io/env.hpp"

namespace exhibit {

namespace {

Result<ExportResult> copy_out(const ExportOptions& o, const JobHooks& hooks);

}  // namespace

Result<ExportResult> export_image(const ExportOptions& o, const JobHooks& hooks) {
  auto r = copy_out(o, hooks);
  const std::string partial = o.output + ".partial";
  if (!r && o.output != "-" && ::access(partial.c_str(), F_OK) == 0) {
    return Error(r.error().code(), r.error().message() + "; what was written is in " + partial, r.error().sys_errno());
  }
  return r;
}

namespace {

Result<ExportResult> copy_out(const ExportOptions& o, const JobHooks& hooks) {
  const auto t0 = std::chrono::steady_clock::now();
  EXHIBIT_TRY(auto reader, image::open_image(o.image));
  const ImageInfo& info = reader->info();
  if (o.offset > info.media_size) {
    return Error(ErrorCode::InvalidArgument, setting_text(Setting::Offset) + " " + std::to_string(o.offset) +
                                                 " is past the end of the media (" + std::to_string(info.media_size) +
                                                 " bytes)");
  }
  const uint64_t available = info.media_size - o.offset;
  if (o.length && *o.length > available) {
    return Error(ErrorCode::InvalidArgument, setting_text(Setting::Length) + " " + std::to_string(*o.length) +
                                                 " runs past the end of the media (" + std::to_string(available) +
                                                 " bytes from the offset)");
  }
  const uint64_t length = o.length.value_or(available);

  const bool to_stdout = o.output == "-";
  const std::string partial = o.output + ".partial";
  io::Env& env = hooks.env != nullptr ? *hooks.env : io::posix_env();
  std::unique_ptr<io::WritableFile> out;
  if (to_stdout) {
    EXHIBIT_TRY(out, io::standard_output());
  } else {
    EXHIBIT_CHECK(
        core::check_image_output(info.segment_files, o.image, o.output, "", o.force, "the image being exported"));
    EXHIBIT_CHECK(core::check_image_output(info.segment_files, o.image, partial, "", true, "the image being exported"));
    // A PATH.partial already there (an earlier export's, or a link to another file) is removed, never
    // written through: the export writes a file of its own.
    struct stat st {};
    if (::lstat(partial.c_str(), &st) == 0) EXHIBIT_CHECK(env.remove(partial));
    auto created = env.open(partial, io::OpenMode::New);
    if (!created) return Error::from_errno(ErrorCode::Destination, partial, created.error().sys_errno());
    out = std::move(*created);
  }

  const uint64_t chunk = reader->unit_bytes();
  std::vector<unsigned char> stored(reader->stored_capacity()), data(chunk);
  uint64_t index = o.offset / chunk;
  uint64_t done = 0;
  if (length > 0) EXHIBIT_CHECK(reader->seek_unit(index));
  for (; done < length; ++index) {
    if (hooks.cancel != nullptr && hooks.cancel->load()) return Error(ErrorCode::Cancelled, "interrupted");
    const uint64_t start = index * chunk;
    const auto data_size = static_cast<size_t>(std::min<uint64_t>(chunk, info.media_size - start));
    const uint64_t first = start / info.bytes_per_sector;
    const std::string where = std::string(unit_name(info.unit)) + " " + std::to_string(index) + " (sectors " +
                              std::to_string(first) + "-" +
                              std::to_string((start + data_size - 1) / info.bytes_per_sector) + ")";
    auto c = reader->read_unit(stored.data(), stored.size(), data_size);
    if (!c) return Error(ErrorCode::Corruption, where + " cannot be read: " + c.error().message());
    if (!reader->decode(*c, data.data())) {
      return Error(ErrorCode::Corruption, where +
                                              " is damaged (checksum or decompression failed); the export stops "
                                              "there after " +
                                              std::to_string(done) + " bytes");
    }
    const uint64_t from = std::max(o.offset, start) - start;
    const auto n = static_cast<size_t>(std::min<uint64_t>(data_size - from, length - done));
    EXHIBIT_CHECK(out->append(data.data() + from, n));
    done += n;
    if (hooks.progress) {
      hooks.progress({done, length, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 0});
    }
  }
  if (!to_stdout) {
    EXHIBIT_CHECK(out->sync());
    EXHIBIT_CHECK(out->close());
    EXHIBIT_CHECK(env.rename(partial, o.output));
    (void)env.sync_folder(io::folder_of(o.output));
  }
  return ExportResult{done, o.output};
}

}  // namespace

}  // namespace exhibit
