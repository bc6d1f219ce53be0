#include "image/ewf_layout.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "image/ewf2_format.hpp"
#include "image/file_kind.hpp"
#include "image/segment_names.hpp"
#include "util/endian.hpp"
#include "util/fd.hpp"

namespace exhibit::image {

namespace {

constexpr size_t k_max_sections = 1u << 22;

using util::load_le32;
using util::load_le64;

Error corrupt(const std::string& path, const std::string& what) {
  return Error(ErrorCode::Corruption, path + ": " + what);
}

// A damaged descriptor by the section it announces when its type still reads as one, else by
// the section before it.
std::string descriptor_name(const unsigned char* d, const SegmentLayout& so_far) {
  const std::string type(reinterpret_cast<const char*>(d), strnlen(reinterpret_cast<const char*>(d), 16));
  for (const char* known : {"header", "header2", "xheader", "volume", "disk", "data", "sectors", "table", "table2",
                            "ltree", "ltypes", "session", "error2", "digest", "hash", "xhash", "next", "done"}) {
    if (type == known) return "the descriptor of the " + type + " section";
  }
  if (so_far.sections.empty()) return "the first section descriptor";
  return "the section descriptor after the " + so_far.sections.back().type + " section";
}

}  // namespace

uint32_t adler32(const unsigned char* data, size_t size, uint32_t start) {
  uint32_t a = start & 0xFFFF;
  uint32_t b = start >> 16;
  while (size > 0) {
    size_t n = size < 5552 ? size : 5552;  // largest block before the sums can overflow
    size -= n;
    while (n-- > 0) {
      a += *data++;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return b << 16 | a;
}

Result<SegmentLayout> read_segment_layout(const std::string& path) {
  util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    int e = errno;
    return Error::from_errno(e == ENOENT ? ErrorCode::NotFound : ErrorCode::Io, "opening " + path, e);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Error::from_errno(ErrorCode::Io, "stat " + path, errno);
  if (!S_ISREG(st.st_mode)) return Error(ErrorCode::InvalidArgument, path + ": not a regular file");
  SegmentLayout layout;
  layout.path = path;
  layout.file_size = static_cast<uint64_t>(st.st_size);

  unsigned char header[k_ewf_file_header_size];
  long long n = util::pread_full(fd.get(), header, sizeof header, 0);
  if (n < 0) return Error::from_errno(ErrorCode::Io, "reading " + path, errno);
  // A file named as an image that does not hold one is a damaged image (exit 1), as a zst
  // without its seek table is; only formats we know but cannot read are Unsupported.
  if (n < static_cast<long long>(sizeof header)) {
    return corrupt(path, "not an EWF (E01) file: too short for a file header");
  }
  if (std::memcmp(header, ewf2::k_signature, sizeof ewf2::k_signature) == 0) {
    return Error(ErrorCode::Unsupported, path + ": EWF2 (Ex01) images are not supported");
  }
  if (std::memcmp(header, k_lvf_signature, sizeof k_lvf_signature) == 0) {
    return Error(ErrorCode::Unsupported, path + ": logical evidence files (L01) are not supported");
  }
  if (std::memcmp(header, k_evf_signature, sizeof k_evf_signature) != 0) {
    return corrupt(path, "not an EWF (E01) file: no EVF signature");
  }
  layout.number = static_cast<uint16_t>(header[9] | header[10] << 8);

  uint64_t offset = k_ewf_file_header_size;
  for (size_t count = 0;; ++count) {
    if (count >= k_max_sections) return corrupt(path, "more than " + std::to_string(k_max_sections) + " sections");
    if (offset + k_ewf_section_descriptor_size > layout.file_size) {
      return corrupt(path, "truncated: section descriptor at offset " + std::to_string(offset) +
                               " lies past the end of the file (" + std::to_string(layout.file_size) + " bytes)");
    }
    unsigned char d[k_ewf_section_descriptor_size];
    if (util::pread_full(fd.get(), d, sizeof d, offset) != static_cast<long long>(sizeof d)) {
      return Error::from_errno(ErrorCode::Io, "reading " + path, errno);
    }
    if (adler32(d, 72) != load_le32(d + 72)) {
      return corrupt(path, descriptor_name(d, layout) + " at offset " + std::to_string(offset) + " fails its checksum");
    }
    SectionInfo s;
    s.type.assign(reinterpret_cast<const char*>(d), strnlen(reinterpret_cast<const char*>(d), 16));
    s.offset = offset;
    s.next = load_le64(d + 16);
    s.size = load_le64(d + 24);
    layout.sections.push_back(s);
    if (s.type == "done" || s.type == "next") break;
    if (s.next > layout.file_size) {
      return corrupt(path, "truncated: section '" + s.type + "' at offset " + std::to_string(offset) +
                               " continues to offset " + std::to_string(s.next) + ", past the end of the file (" +
                               std::to_string(layout.file_size) + " bytes)");
    }
    if (s.next <= offset) {
      return corrupt(path, "section '" + s.type + "' at offset " + std::to_string(offset) + " points back to offset " +
                               std::to_string(s.next));
    }
    offset = s.next;
  }
  return layout;
}

namespace {

Result<std::vector<SegmentLayout>> check_segments(const std::string& first_path, const SegmentBase& base);

}  // namespace

Result<std::vector<SegmentLayout>> check_segment_set(const std::string& first_path, bool unfinished_ok) {
  auto base = base_of_first_segment(first_path);
  if (!base) {
    if (::access(first_path.c_str(), F_OK) != 0) {
      return Error::from_errno(ErrorCode::NotFound, first_path, errno);
    }
    return Error(ErrorCode::InvalidArgument, not_an_image_message(first_path));
  }
  auto set = check_segments(first_path, *base);
  // Our acquisitions keep this name until they are complete.
  const std::string suffix = ".incomplete";
  if (!unfinished_ok && base->base.size() > suffix.size() &&
      base->base.compare(base->base.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return Error(ErrorCode::Corruption, first_path +
                                            " is an unfinished acquisition (interrupted or failed; its log is " +
                                            base->base.substr(0, base->base.size() - suffix.size()) + ".log)" +
                                            (set ? std::string() : ": " + set.error().message()));
  }
  return set;
}

namespace {

Result<std::vector<SegmentLayout>> check_segments(const std::string& first_path, const SegmentBase& base_value) {
  const SegmentBase* base = &base_value;
  std::vector<std::string> paths = existing_segments(*base);
  if (paths.empty()) return Error::from_errno(ErrorCode::NotFound, first_path, ENOENT);
  std::vector<SegmentLayout> set;
  for (size_t i = 0; i < paths.size(); ++i) {
    auto read = read_segment_layout(paths[i]);
    // A later segment that is damaged, or in another format (EWF2, L01), or not EWF at all: the
    // set was written as one, so any of these is damage to it.
    if (!read && i > 0 &&
        (read.error().code() == ErrorCode::Corruption || read.error().code() == ErrorCode::Unsupported)) {
      return Error(ErrorCode::Corruption,
                   read.error().message() + " (segment " + std::to_string(i + 1) + " of " + first_path + ")");
    }
    EXHIBIT_TRY(SegmentLayout layout, std::move(read));
    if (layout.number != i + 1) {
      return corrupt(paths[i],
                     "holds segment number " + std::to_string(layout.number) + ", expected " + std::to_string(i + 1));
    }
    set.push_back(std::move(layout));
  }
  for (size_t i = 0; i + 1 < set.size(); ++i) {
    if (set[i].closing_section() != "next") {
      return corrupt(set[i].path, "ends with a '" + set[i].closing_section() + "' section although segment " +
                                      std::to_string(i + 2) + " follows it");
    }
  }
  if (set.back().closing_section() != "done") {
    auto ext = segment_extension(static_cast<uint32_t>(set.size() + 1), base->lower_case);
    return corrupt(set.back().path, "the image continues in segment " + std::to_string(set.size() + 1) + " (" +
                                        base->base + "." + ext.value_or("?") + "), which is missing");
  }
  return set;
}

}  // namespace

}  // namespace exhibit::image
