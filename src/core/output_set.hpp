// The files of one acquisition: BASE.E01.., BASE.log, BASE.map, BASE.manifest.json and its
// signatures, BASE.sha256sums, BASE.report.html, BASE.dfxml, BASE.case.jsonld. Segments are written
// as BASE.incomplete.E01.. and renamed only when the image is finished, so an interrupted
// acquisition never leaves files that look like a finished image.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "exhibit/acquire.hpp"
#include "exhibit/error.hpp"
#include "io/env.hpp"

namespace exhibit::core {

class OutputSet {
 public:
  explicit OutputSet(std::string base, ImageFormat format = ImageFormat::E01, bool one_file = false)
      : m_base(std::move(base)), m_format(format), m_one_file(one_file) {}

  const std::string& base() const { return m_base; }
  std::string partial_base() const { return m_base + ".incomplete"; }
  std::string log_path() const { return m_base + ".log"; }
  std::string map_path() const { return m_base + ".map"; }
  std::string record_path() const;
  std::string checksums_path() const { return m_base + ".sha256sums"; }  // sha256sum -c list of the segments
  std::string report_path() const { return m_base + ".report.html"; }
  std::string dfxml_path() const { return m_base + ".dfxml"; }       // DFXML provenance (report/dfxml.hpp)
  std::string case_path() const { return m_base + ".case.jsonld"; }  // CASE/UCO (report/case_jsonld.hpp)
  std::string resume_path() const { return m_base + ".resume"; }     // see core/resume_state.hpp
  // Signatures of the record: CMS (with a certificate), plain (without), RFC 3161 request.
  std::string cms_signature_path() const { return record_path() + ".p7s"; }
  std::string plain_signature_path() const { return record_path() + ".sig"; }
  std::string timestamp_request_path() const { return m_base + ".manifest.tsq"; }
  // The image's first file, finished (BASE.E01, BASE.001, BASE.raw, BASE.zst) or while written.
  std::string first_segment() const { return first_file_of(m_base); }
  std::string partial_first_segment() const { return first_file_of(partial_base()); }
  // The first file of a finished image of this name in any format, "" when there is none: what
  // `--resume` looks for before its saved state has told it the format.
  std::string finished_first_file_any_format() const;
  // The files of the unfinished image, in order.
  std::vector<std::string> partial_segments() const { return files_of(partial_base()); }

  // The same files while they are being finished: BASE.incomplete.manifest.json and so on.
  OutputSet staged() const { return OutputSet(partial_base(), m_format, m_one_file); }
  // Every path this set may write or remove, in any format, finished or not: what the output
  // guard checks (core/output_guard.hpp). Future segments past the first cannot exist yet unless
  // they are listed here.
  std::vector<std::string> all_paths() const;

  // Creates the destination folder if needed; refuses (AlreadyExists) when any file of this
  // image exists, unless `force`, which removes them first (through `env`).
  Status prepare(bool force, io::Env& env = io::posix_env()) const;
  // The unfinished segments' renames BASE.incomplete.EXT -> BASE.EXT, the last file first and the
  // first (BASE.E01) last: until the very end nothing looks finished.
  std::vector<std::pair<std::string, std::string>> segment_renames() const;

 private:
  std::vector<std::string> existing_files() const;
  std::string first_file_of(const std::string& base) const;
  std::vector<std::string> files_of(const std::string& base) const;
  std::string m_base;
  ImageFormat m_format;
  bool m_one_file;
};

}  // namespace exhibit::core
