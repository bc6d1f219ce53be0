#include "core/output_set.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "exhibit/setting.hpp"
#include "image/image_files.hpp"
#include "image/raw_image.hpp"
#include "image/segment_names.hpp"
#include "report/record.hpp"

namespace exhibit::core {

namespace fs = std::filesystem;

std::string OutputSet::record_path() const { return report::record_path_for_base(m_base); }

std::string OutputSet::first_file_of(const std::string& base) const {
  return image::first_image_file(m_format, base, m_one_file);
}

std::string OutputSet::finished_first_file_any_format() const { return image::any_existing_first_file(m_base); }

std::vector<std::string> OutputSet::files_of(const std::string& base) const {
  return image::existing_image_files(m_format, base, m_one_file);
}

std::vector<std::string> OutputSet::existing_files() const {
  std::vector<std::string> found;
  // Any image of this name, in any format, finished or not.
  for (const auto& base : {m_base, partial_base()}) {
    for (auto& p : image::existing_segments({base, false})) found.push_back(p);
    for (auto& p : image::existing_raw_segments(base)) found.push_back(p);
    for (const char* ext : {".raw", ".zst"}) {
      if (::access((base + ext).c_str(), F_OK) == 0) found.push_back(base + ext);
    }
  }
  for (const OutputSet& s : {*this, staged()}) {
    for (const auto& p : {s.log_path(), s.map_path(), s.record_path(), s.checksums_path(), s.cms_signature_path(),
                          s.plain_signature_path(), s.timestamp_request_path(), s.report_path(), s.dfxml_path(),
                          s.case_path(), s.resume_path()}) {
      if (::access(p.c_str(), F_OK) == 0) found.push_back(p);
    }
  }
  // Segment names past a gap (BASE.incomplete.E02 without BASE.incomplete.E01): the writer would
  // open them when it got there, through whatever link lies there.
  for (const auto& base : {m_base, partial_base()}) {
    for (auto& p : image::segment_named_files(base)) {
      if (std::find(found.begin(), found.end(), p) == found.end()) found.push_back(std::move(p));
    }
  }
  return found;
}

std::vector<std::string> OutputSet::all_paths() const {
  std::vector<std::string> out = existing_files();
  for (const OutputSet& s : {*this, staged()}) {
    for (const auto& p : {s.first_segment(), s.log_path(), s.map_path(), s.record_path(), s.checksums_path(),
                          s.cms_signature_path(), s.plain_signature_path(), s.timestamp_request_path(), s.report_path(),
                          s.dfxml_path(), s.case_path(), s.resume_path()}) {
      out.push_back(p);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Status OutputSet::prepare(bool force, io::Env& env) const {
  fs::path parent = fs::path(m_base).parent_path();
  std::error_code ec;
  if (!parent.empty() && !fs::exists(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) return Error(ErrorCode::Destination, "creating folder " + parent.string() + ": " + ec.message());
  } else if (!parent.empty() && !fs::is_directory(parent, ec)) {
    return Error(ErrorCode::Destination, "destination " + parent.string() + " is not a folder");
  }
  auto existing = existing_files();
  if (!existing.empty() && !force) {
    return Error(ErrorCode::AlreadyExists,
                 existing.front() + " already exists (use " + setting_text(Setting::Force) + " to replace the image)");
  }
  for (const auto& p : existing) EXHIBIT_CHECK(env.remove(p));
  return Ok{};
}

std::vector<std::pair<std::string, std::string>> OutputSet::segment_renames() const {
  const std::string partial = partial_base();
  std::vector<std::pair<std::string, std::string>> out;
  const std::vector<std::string> files = files_of(partial);
  for (auto it = files.rbegin(); it != files.rend(); ++it) out.emplace_back(*it, m_base + it->substr(partial.size()));
  return out;
}

}  // namespace exhibit::core
