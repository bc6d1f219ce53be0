// One copy of the image being acquired (-o BASE, and each --second-output BASE2): its files, its
// image writer (whatever the format: image/image_writer.hpp) and what became of it. A copy whose writing fails is given
// up alone; the others go on (see core/acquire_copies.cpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/output_set.hpp"
#include "core/pipeline.hpp"
#include "core/resume_state.hpp"
#include "exhibit/acquire.hpp"
#include "exhibit/error.hpp"
#include "image/ewf_write_options.hpp"
#include "image/image_writer.hpp"
#include "io/env.hpp"

namespace exhibit::core {

class Destination {
 public:
  // Every file of the copy is written through `env`.
  Destination(const std::string& base, const AcquireOptions& o, io::Env& env = io::posix_env())
      : m_out(base, o.format, o.one_file), m_format(o.format), m_env(&env) {}
  Destination(Destination&&) noexcept = default;
  Destination& operator=(Destination&&) noexcept = default;

  const OutputSet& out() const { return m_out; }
  // A new image (raw: files of `segment_size`, 0 for one file).
  Status create(const image::EwfWriteOptions& w, uint64_t segment_size, bool one_file);
  // The image interrupted where `progress` says (the settings and the errors recorded before
  // the interruption are in `state`).
  Status resume(const image::EwfWriteOptions& w, const ResumeState& state, const CopyProgress& progress);
  // Syncs what was written and puts where it stands into `progress`.
  Status checkpoint(CopyProgress& progress);
  bool writing() const { return m_writer != nullptr; }
  // What was written before the interruption, read back (see image::PrefixReader).
  Result<std::unique_ptr<image::PrefixReader>> read_back(const CopyProgress& progress, uint64_t bytes,
                                                         uint64_t chunk_bytes) const;

  // In order, on the consuming thread. A failure marks the writer broken.
  Status write(const Block& b);
  void add_error(const SectorRange& r) {
    if (m_writer) m_writer->add_acquisition_error(r);
  }
  // Closes the image: E01 with its digests, zst with the record in it.
  Status finish(const std::string& md5, const std::string& sha1, const std::string& record_text);
  // The finished files' SHA-256, taken under their temporary names, listed under their final
  // names (core/finishing.hpp renames them). Their bytes, CPU time and threads go to `account`.
  Result<std::vector<SegmentFile>> hash_segments(unsigned threads, StageLoad& account) const;
  void set_committed() { m_committed = true; }

  bool alive() const { return !m_failure.has_value(); }
  void give_up(const Error& e) { m_failure = e; }
  const std::optional<Error>& failure() const { return m_failure; }
  bool broken() const { return m_broken; }  // what lies past the last checkpoint is unknown
  void set_broken() { m_broken = true; }
  bool committed() const { return m_committed; }

 private:
  OutputSet m_out;
  ImageFormat m_format;
  io::Env* m_env;
  std::unique_ptr<image::ImageWriter> m_writer;
  std::optional<Error> m_failure;
  bool m_broken = false;
  bool m_committed = false;
};

}  // namespace exhibit::core
