// The acquisition job, shared by its passes; core/acquire.cpp runs them (AcquireJob::run). Where
// they live:
//   acquire_request.cpp  the request checked, the output guard, the source opened
//   acquire_resume.cpp   --resume: the interrupted run's state taken over, the source compared
//   acquire_header.cpp   the log opened and headed; the values put into the image's header
//   acquire_copies.cpp   the copies created or resumed, given up alone; checkpoints and the map
//   acquire_stream.cpp   source -> pipeline -> block encoder -> each copy's image writer
//   acquire_verify.cpp   --verify: every closed copy read again and checked (and the source)
//   acquire_publish.cpp  the copies closed, their files written and given their final names
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/acquisition_log.hpp"
#include "core/destination.hpp"
#include "core/finishing.hpp"
#include "core/pipeline.hpp"
#include "core/read_watch.hpp"
#include "core/resume_state.hpp"
#include "exhibit/acquire.hpp"
#include "exhibit/error.hpp"
#include "image/ewf_write_options.hpp"
#include "image/image_writer.hpp"
#include "io/block_source.hpp"
#include "io/env.hpp"
#include "report/rescue_map.hpp"
#include "report/signing.hpp"

namespace exhibit::core {

// Bytes per source read: the default, and the bounds of AcquireOptions::read_size.
inline constexpr uint64_t k_read_size = uint64_t{4} << 20;
inline constexpr uint64_t k_min_read_size = 4096;
inline constexpr uint64_t k_max_read_size = uint64_t{16} << 20;

// The running system as the image header and the record name it (acquire_header.cpp).
std::string host_os();

// A remote source's serving host and device as its server described them ("" for a local source):
// part of the identity --resume compares (acquire_resume.cpp).
std::string remote_identity(const SourceInfo& s);

// What the opening passes settled that later passes need.
struct AcquirePlan {
  std::vector<std::string> digests;  // canonical names, MD5 first (every E01 stores it)
  std::string segment_reason;        // why the segment, chunk and piece sizes are not the defaults,
  std::string chunk_reason;          // for the log ("" when they are)
  std::string piece_reason;
  std::time_t started = 0;                   // the acquisition's date (the interrupted run's after --resume)
  std::chrono::steady_clock::time_point t0;  // for the duration in the result
  size_t write_block_events_at_start = 0;    // the events logged at the end are those after it
};

class AcquireJob {
 public:
  AcquireJob(const AcquireOptions& o, const JobHooks& h)
      : m_opt(o), m_hooks(h), m_env(h.env != nullptr ? *h.env : io::posix_env()) {
    m_dests.emplace_back(o.output_base, o, m_env);
    for (const auto& base : o.second_outputs) m_dests.emplace_back(base, o, m_env);
  }
  Result<AcquireResult> run();

 private:
  class MediaCopy;  // copy_media's pipeline stages (acquire_stream.cpp)

  // The passes of run(), in order. Until the log exists their errors are returned as they are;
  // after, each pass sends its failures through fail() where the run always did (a refused
  // --resume, for one, is logged and returned as it is).
  Status check_request();  // options, metadata text, then check_signing()
  Status check_signing();  // the key and certificate load now, and match an interrupted run's
  // The one output guard: every file of every copy, and --report (see core/output_guard.hpp).
  Status check_outputs() const;
  Status open_source();   // the source opened; geometry and piece size chosen
  Status open_log();      // the copies' folders and logs
  Status start_map();     // the run's date and padding; BASE.map written before the first read
  void log_start();       // the log's opening: source, case, options
  Status check_source();  // identified, or after --resume compared with the interrupted run's
  // The image header and set identifier (the interrupted run's after --resume).
  Result<image::EwfWriteOptions> writer_options();
  // The copies continued from the interrupted run's checkpoint, or created (then the first state saved).
  Status resume_copies(const image::EwfWriteOptions& w);
  Status create_copies(const image::EwfWriteOptions& w);
  Status stream();        // every byte of the source into every copy; digests and pieces
  Status close_copies();  // the images closed and their segments hashed (finishing starts)
  void log_result();
  // --verify: every copy read again and checked, before its record is written (acquire_verify.cpp).
  Status verify_copies();
  Status publish_copies();  // each copy's files beside the segments, under temporary names
  Status name_files();      // the finishing state saved, then every file given its name

  Result<core::PipelineResult> copy_media(io::BlockSource& source, const std::vector<std::string>& digests);
  // Hands a block to every copy still written (on the consuming thread, in order).
  Status write_block(const core::Block& b);
  // `d` failed with `e`: it is given up, the others go on. The error comes back only when no copy is left.
  Status give_up(core::Destination& d, const Error& e);
  // Applies `f` to every copy still written, giving up those it fails for.
  Status for_each_copy(const std::function<Status(core::Destination&)>& f);
  // Checksums, record, signature and report of a copy, under temporary names; what to rename.
  Result<core::FinishingCopy> publish(core::Destination& d, CopyResult& c, std::time_t started);
  // The shared result with the files of copy `d` (`c`): what its record says.
  AcquireResult result_of(const core::Destination& d, const CopyResult& c) const;
  // Copy `d` read again and checked against the record it is about to get; with `with_source`
  // the source is read again and compared too.
  Result<VerifyReport> verify_copy(const core::Destination& d, const CopyResult& c, bool with_source);
  // The result's own file fields describe the first finished copy (again after publishing, which
  // may give one up).
  void adopt_first_finished();
  // A copy whose record or report could not be written was given up after all.
  void note_late_failures();
  // --resume: the interrupted run's state, its settings taken over, the source checked.
  Status load_resume();
  Status check_same_source(io::BlockSource& source);
  // --resume of a run stopped in its finishing phase: the files checked and given their names.
  Result<AcquireResult> finish_interrupted();
  Result<core::SourceIdentity> identify(io::BlockSource& source);
  // On the main thread while it waits for the source: a read unanswered for the stall threshold
  // is logged and shown; Ctrl-C is logged at once and the work saved, even while the kernel holds
  // a read (the Cancelled error then stops the run as soon as the read returns).
  Status while_waiting(const SourceInfo& s);
  // A read logged as unanswered has returned: the log says so (main thread).
  void note_answer(const std::optional<core::ReadWatch::Pending>& pending);
  // Syncs the image and rewrites BASE.resume: now if `now`, else if the last save is 2 s old.
  Status save_state(bool now);
  // After --resume: the media bytes the interrupted run had safely written.
  uint64_t resumed_bytes(uint64_t chunk, uint64_t media_size) const {
    return std::min(media_size, image::held_bytes(m_opt.format, m_state.copies.front().writer, chunk));
  }
  Status record_unreadable(const SectorRange& r, uint32_t sector_size);
  // Writes BASE.map now if `now`, or if the last write is a few seconds old.
  Status save_map(bool now);
  // After the log exists: record the failure and say where the unfinished image lies.
  Error fail(const Error& e);
  // The source and the flags that reach it, shell-quoted, as a command to type repeats them.
  std::string source_arguments() const;

  AcquireOptions m_opt;  // a copy: --resume takes settings over from the interrupted run
  const JobHooks& m_hooks;
  io::Env& m_env;                          // every file written goes through it
  std::vector<core::Destination> m_dests;  // -o first, then each --second-output
  const core::OutputSet& m_out() const { return m_dests.front().out(); }
  AcquirePlan m_plan;
  std::optional<core::AcquisitionLog> m_log;
  AcquireResult m_result;
  std::optional<SectorRange> m_pending_bad;  // a bad run that may continue into the next block
  report::RescueMapState m_map;
  std::chrono::steady_clock::time_point m_map_saved;
  std::optional<report::Signer> m_signer;
  core::ResumeState m_state;               // of the first copy (E01): the only one --resume continues
  bool m_state_written = false;            // this run saved BASE.resume (or found one to resume)
  bool m_finishing = false;                // the images are being closed: the saved progress is final
  bool m_finishing_saved = false;          // BASE.resume holds the finishing state: --resume completes the renames
  core::FinishingState m_finishing_state;  // what publish_copies staged, for name_files
  std::optional<core::FinishingState> m_finish_only;  // --resume of a run stopped while finishing
  core::ReadWatch m_watch;                            // the read in flight, for while_waiting
  bool m_interrupt_logged = false;
  int64_t m_stall_reported = 0;  // the read (ReadWatch::Pending::since) already logged as unanswered
  double m_stall_seconds = 0;    // how long it had waited when last seen
  uint64_t m_stall_offset = 0;
  std::chrono::steady_clock::time_point m_state_saved;
  // Opened by open_source, released when the copies close. Last, so that it goes first, before
  // the copies and the log (as when it was a local of run()).
  std::unique_ptr<io::BlockSource> m_source;
};

}  // namespace exhibit::core
