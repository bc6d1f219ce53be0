#include "exhibit/verify.hpp"

#include "core/output_guard.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <future>

#include "core/log_summary.hpp"
#include "core/output_set.hpp"
#include "core/pipeline.hpp"
#include "core/pool_size.hpp"
#include "core/record_compare.hpp"
#include "core/record_seal.hpp"
#include "core/source_compare.hpp"
#include "core/verify_opened.hpp"
#include "hash/digest.hpp"
#include "hash/file_digest.hpp"
#include "image/segment_names.hpp"
#include "image/unit_reader.hpp"
#include "report/record.hpp"
#include "util/aligned_buffer.hpp"
#include "util/bounded_input.hpp"
#include "util/text.hpp"

namespace exhibit {

bool VerifyReport::passed() const {
  if (!bad_chunks.empty() || !problems.empty() || checks.empty() || !piece_mismatches.empty()) return false;
  if (!record_mismatches.empty() || !not_checked.empty()) return false;
  if (source && !source->differences.empty()) return false;
  for (const auto& s : signatures) {
    if (!s.valid) return false;
  }
  for (const auto& f : segment_checks) {
    if (!f.match()) return false;
  }
  for (const auto& c : checks) {
    if (!c.match()) return false;
  }
  return true;
}

namespace {

// Stored units (E01 chunks, zstd frames, raw blocks) are read in order by one thread, decoded
// and checked by the workers, and digested in order.
Result<core::PipelineResult> read_all_chunks(image::UnitReader& reader, VerifyReport& report, const JobHooks& hooks,
                                             const std::vector<std::string>& algorithms, unsigned threads,
                                             uint64_t piece_size, uint64_t piece_limit, core::SourceComparer* source) {
  const ImageInfo& info = report.info;
  const uint64_t chunk = reader.unit_bytes();
  const size_t stored_capacity = reader.stored_capacity();
  const size_t chunks_per_block = static_cast<size_t>(std::max<uint64_t>(1, (4u << 20) / chunk));
  core::PipelineConfig config;
  config.block_capacity = static_cast<size_t>(chunk) * chunks_per_block;
  config.encoded_capacity = stored_capacity * chunks_per_block;
  const core::PoolSize pool = core::pool_size(config.block_capacity + config.encoded_capacity, threads);
  config.pool_blocks = pool.blocks;
  config.workers = pool.workers;
  config.digests = algorithms;
  config.digest_after_transform = true;
  config.cancel = hooks.cancel;
  config.piece_size = piece_size;
  config.piece_limit = piece_limit;
  config.transform_stage = "decode";
  config.consume_stage = source != nullptr ? "compare" : "collect";

  uint64_t next_offset = 0;
  uint64_t next_chunk = 0;
  struct OddSize {
    uint64_t chunk;
    size_t stored, media;
  };
  std::vector<OddSize> odd_sizes;  // stored chunks holding more bytes than their media size
  auto produce = [&](core::Block& b) -> Result<bool> {
    if (next_offset >= info.media_size) return false;
    b.offset = next_offset;
    for (size_t i = 0; i < chunks_per_block && next_offset < info.media_size; ++i, ++next_chunk) {
      const auto data_size = static_cast<size_t>(std::min<uint64_t>(chunk, info.media_size - next_offset));
      auto c = reader.read_unit(b.encoded.data() + i * stored_capacity, stored_capacity, data_size);
      if (!c) {
        return Error(ErrorCode::Corruption, std::string(unit_name(info.unit)) + " " + std::to_string(next_chunk) +
                                                " (bytes " + std::to_string(next_offset) + "-" +
                                                std::to_string(next_offset + data_size - 1) +
                                                ") cannot be read: " + c.error().message());
      }
      if (!c->compressed && !c->pattern_fill && c->size > data_size)
        odd_sizes.push_back({next_chunk, c->size, data_size});
      b.chunks.push_back(*c);
      next_offset += data_size;
    }
    b.size = b.source_size = static_cast<size_t>(next_offset - b.offset);
    return true;
  };
  auto transform = [&](core::Block& b, unsigned /*worker*/) -> Status {
    size_t pos = 0;
    for (const auto& c : b.chunks) {
      unsigned char* out = b.data.data() + pos;
      if (!reader.decode(c, out)) {
        std::memset(out, 0, c.data_size);  // as libewf and ewfverify do: the digests then differ
        const uint64_t first = (b.offset + pos) / info.bytes_per_sector;
        append_range(b.bad_chunks, {first, (c.data_size + info.bytes_per_sector - 1) / info.bytes_per_sector});
      }
      pos += c.data_size;
    }
    return Ok{};
  };
  const auto start = std::chrono::steady_clock::now();
  auto last_report = start - std::chrono::seconds(1);
  auto consume = [&](core::Block& b) -> Status {
    for (const auto& r : b.bad_chunks) append_range(report.bad_chunks, r);
    if (source != nullptr) EXHIBIT_CHECK(source->compare(b.offset, b.data.data(), b.size, info.bytes_per_sector));
    report.bytes_read = b.offset + b.size;
    auto now = std::chrono::steady_clock::now();
    if (hooks.progress &&
        (now - last_report > std::chrono::milliseconds(250) || report.bytes_read == info.media_size)) {
      last_report = now;
      hooks.progress({report.bytes_read, info.media_size, std::chrono::duration<double>(now - start).count(), 0});
    }
    return Ok{};
  };
  core::Pipeline pipeline(config);
  auto result = pipeline.run(produce, transform, consume);
  // Not a bad chunk: its checksum covers all it stores. Said as what it is, a few by name.
  for (size_t i = 0; i < odd_sizes.size() && i < 10; ++i) {
    const OddSize& o = odd_sizes[i];
    const uint64_t first = o.chunk * info.sectors_per_chunk;
    report.notes.push_back(std::string(unit_name(info.unit)) + " " + std::to_string(o.chunk) + " (sectors " +
                           std::to_string(first) + "-" + std::to_string(first + o.media / info.bytes_per_sector - 1) +
                           ") stores " + std::to_string(o.stored) + " bytes where the image's geometry says " +
                           std::to_string(o.media) + "; its checksum covers all " + std::to_string(o.stored) +
                           " (intact as stored), and the first " + std::to_string(o.media) +
                           " are read as the media, as libewf reads them");
  }
  if (odd_sizes.size() > 10) {
    report.notes.push_back(std::to_string(odd_sizes.size() - 10) +
                           " more chunks store more bytes than their media size");
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (result) report.stages = result->stages;
  return result;
}

void check_pieces(const report::RecordedImage& record, const std::vector<std::string>& computed, VerifyReport& report) {
  if (record.pieces.empty()) return;
  if (computed.size() != record.pieces.size()) {
    report.problems.push_back("the record lists " + std::to_string(record.pieces.size()) + " pieces, the image has " +
                              std::to_string(computed.size()));
  }
  for (size_t i = 0; i < std::min(computed.size(), record.pieces.size()); ++i) {
    const Piece& p = record.pieces[i];
    ++report.pieces_checked;
    if (p.sha256 != computed[i] || p.offset != i * record.piece_size) {
      report.piece_mismatches.push_back({i, i * record.piece_size, p.length, p.sha256, computed[i]});
    }
  }
}

// The segment files' SHA-256, hashed on a thread of their own while the chunks are read (the
// files are read twice either way; this way the second read overlaps the first).
std::vector<std::string> segment_paths(const report::RecordedImage& record, const std::string& folder) {
  std::vector<std::string> paths;
  for (const auto& s : record.segments) paths.push_back(folder + s.path);
  return paths;
}

void check_segments(const report::RecordedImage& record, const std::vector<std::string>& paths,
                    std::vector<Result<hash::FileDigest>> hashed, VerifyReport& report) {
  // Their count and names: compare_record.
  for (size_t i = 0; i < paths.size(); ++i) {
    FileCheck c{paths[i], record.segments[i].size, 0, record.segments[i].sha256, ""};
    if (hashed[i]) {
      c.size = hashed[i]->size;
      c.computed = hashed[i]->hex;
    } else {
      report.problems.push_back(hashed[i].error().message());
    }
    report.segment_checks.push_back(std::move(c));
  }
}

}  // namespace

Result<VerifyReport> verify_image(const std::string& first_segment, const JobHooks& hooks, unsigned threads,
                                  const VerifyOptions& options) {
  VerifyReport report;
  EXHIBIT_TRY(auto reader, image::open_image(first_segment));
  report.info = reader->info();
  const ImageInfo& info = report.info;
  if (!options.report.empty()) {
    EXHIBIT_CHECK(core::check_image_output(info.segment_files, first_segment, options.report, options.source,
                                           options.force, "the image being verified"));
  }

  // Digests to recompute: what the image stores, what our record holds, and always MD5.
  report::RecordedImage record;
  std::string folder;
  bool record_read = false;
  core::LogSummary log;
  if (auto base = image::image_base(first_segment)) {
    const std::string path = report::record_path_for_base(*base);
    const auto slash = first_segment.find_last_of('/');
    folder = slash == std::string::npos ? "" : first_segment.substr(0, slash + 1);
    if (const std::string sums = *base + ".sha256sums"; ::access(sums.c_str(), F_OK) == 0) {
      report.checksums_file = sums;
    }
    if (::access(path.c_str(), F_OK) == 0) {
      report.record_file = path;
      // A file too large to be a record we wrote is refused before it is read: the set is damaged.
      EXHIBIT_TRY(const std::string text, util::read_small_file(path, "record"));
      if (auto r = report::parse_record(text, path)) {
        record = std::move(*r);
        record_read = true;
      } else {
        report.problems.push_back("the record " + util::file_name(path) + " is unreadable: " + r.error().message());
      }
    }
    log = core::summarize_log(core::OutputSet(*base).log_path(), util::file_name(path));
    core::check_set_finished(*base, !report.record_file.empty(), log, report);
  }
  EXHIBIT_TRY(report, core::verify_opened(*reader, std::move(report), record, segment_paths(record, folder), hooks,
                                          threads, options));
  if (record_read) core::compare_record(record, *reader, log, report);
  if (auto base = image::image_base(first_segment)) core::check_seal(*base, options, report);
  return report;
}

}  // namespace exhibit

namespace exhibit::core {

Result<VerifyReport> verify_opened(image::UnitReader& opened, VerifyReport report, report::RecordedImage& record,
                                   const std::vector<std::string>& paths, const JobHooks& hooks, unsigned threads,
                                   const VerifyOptions& options) {
  image::UnitReader* reader = &opened;
  const ImageInfo& info = report.info;
  const std::map<std::string, std::string>& recorded = record.digests;
  std::vector<std::string> algorithms{"md5"};
  for (const auto& h : info.hashes) {
    auto canonical = hash::canonical_algorithm(h.algorithm);
    if (canonical && std::find(algorithms.begin(), algorithms.end(), *canonical) == algorithms.end()) {
      algorithms.push_back(*canonical);
    }
  }
  for (const auto& [name, hex] : recorded) {
    auto canonical = hash::canonical_algorithm(name);
    if (canonical && std::find(algorithms.begin(), algorithms.end(), *canonical) == algorithms.end()) {
      algorithms.push_back(*canonical);
    }
  }
  // A raw image says nothing about itself: the record beside it knows its sector size and the
  // sectors that were unreadable at acquisition (zero-filled in it).
  if (report.info.unit == StorageUnit::Block) {
    ImageInfo& raw = report.info;
    if (record.bytes_per_sector != 0) {
      raw.bytes_per_sector = record.bytes_per_sector;
      raw.sector_count = raw.media_size / raw.bytes_per_sector;
      raw.sectors_per_chunk = static_cast<uint32_t>(reader->unit_bytes() / raw.bytes_per_sector);
    }
    if (raw.acquisition_errors.empty()) raw.acquisition_errors = record.unreadable;
  }
  // Pieces cover the source's own bytes (the record says how many): padding is left out.
  const uint64_t piece_limit = record.source_size != 0 ? std::min(record.source_size, info.media_size)
                                                       : info.media_size;
  // Pieces that cannot cover this image are not recomputed: a forged piece size of a few bytes
  // would otherwise mean a digest held in memory for every few bytes of the media.
  const uint64_t pieces_here = record.piece_size == 0
                                   ? 0
                                   : piece_limit / record.piece_size + (piece_limit % record.piece_size != 0);
  if (!record.pieces.empty() && pieces_here != record.pieces.size()) {
    report.problems.push_back("the record lists " + std::to_string(record.pieces.size()) + " pieces of " +
                              std::to_string(record.piece_size) + " bytes, the image would have " +
                              std::to_string(pieces_here) + ": pieces not checked");
    record.pieces.clear();
  }
  report.piece_size = record.pieces.empty() ? 0 : record.piece_size;
  std::unique_ptr<core::SourceComparer> source;
  if (!options.source.empty()) {
    const uint64_t chunk = reader->unit_bytes();
    const size_t block = static_cast<size_t>(chunk * std::max<uint64_t>(1, (4u << 20) / std::max<uint64_t>(1, chunk)));
    EXHIBIT_TRY(source, core::SourceComparer::open(options, block, hooks.cancel));
  }
  std::atomic<bool> stop_hashing{false};
  const auto hashing_start = std::chrono::steady_clock::now();
  double hashing_seconds = 0;
  auto segment_hashes = std::async(std::launch::async, [&] {
    auto r = hash::digest_files(paths, "sha256", 1, ErrorCode::Corruption, &stop_hashing);
    hashing_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - hashing_start).count();
    return r;
  });
  auto chunks = read_all_chunks(*reader, report, hooks, algorithms, threads, report.piece_size, piece_limit,
                                source.get());
  if (!chunks) stop_hashing = true;  // interrupted or broken: do not wait for the rest
  auto hashed = segment_hashes.get();
  if (!chunks) return chunks.error();
  if (!paths.empty()) {
    // Beside the stream: its lifetime is the stream's (or its own, if longer), and the time after
    // it finished counts as waiting.
    StageLoad load{"segment sha256"};
    load.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - hashing_start).count();
    load.wait_seconds = std::max(0.0, load.wall_seconds - hashing_seconds);
    for (const auto& h : hashed) {
      if (!h) continue;
      load.bytes += h->size;
      load.cpu_seconds += h->cpu_seconds;
    }
    report.stages.push_back(load);
  }
  const core::PipelineResult& digested = *chunks;
  if (source) {
    report.source = source->finish();
    const uint64_t expected = record.source_size != 0 ? record.source_size : info.media_size;
    if (report.source->size != expected) {
      report.problems.push_back("the source is " + std::to_string(report.source->size) + " bytes, the image holds " +
                                std::to_string(expected));
    }
    // Sectors that were unreadable at acquisition are zero-filled in the image: if they read now
    // they differ, but that is not a fault of the image; if they still fail, nothing was lost.
    SourceComparison& c = *report.source;
    auto at_acquisition = [&](uint64_t sector) {
      return std::any_of(info.acquisition_errors.begin(), info.acquisition_errors.end(),
                         [&](const SectorRange& e) { return sector >= e.first && sector <= e.last(); });
    };
    // Splits `ranges` into the sectors unreadable at acquisition and the rest.
    auto split = [&](const std::vector<SectorRange>& ranges, std::vector<SectorRange>& then_unreadable) {
      if (info.acquisition_errors.empty()) return ranges;  // the usual case: nothing to set apart
      std::vector<SectorRange> rest;
      for (const auto& r : ranges) {
        for (uint64_t sector = r.first; sector <= r.last(); ++sector) {
          append_range(at_acquisition(sector) ? then_unreadable : rest, {sector, 1});
        }
      }
      return rest;
    };
    c.differences = split(c.differences, c.readable_now);
    std::vector<SectorRange> still_unreadable;
    const std::vector<SectorRange> unreadable = split(c.unreadable, still_unreadable);
    if (!c.readable_now.empty()) {
      report.notes.push_back(
          "some sectors unreadable at acquisition (zero-filled in the image) read from the source "
          "now; they are listed apart, not counted as differences");
    }
    if (!unreadable.empty()) {
      report.problems.push_back(std::to_string(unreadable.size()) +
                                " ranges of source sectors that were read at "
                                "acquisition could not be read again, so the comparison is incomplete");
    }
  }
  check_pieces(record, digested.pieces, report);
  check_segments(record, paths, std::move(hashed), report);
  std::sort(report.bad_chunks.begin(), report.bad_chunks.end(),
            [](const SectorRange& a, const SectorRange& b) { return a.first < b.first; });
  for (auto& d : digested.digests) report.computed.push_back({d.algorithm, d.hex});
  auto computed_of = [&](const std::string& name) {
    for (const auto& d : report.computed) {
      if (d.algorithm == name) return d.hex;
    }
    return std::string();
  };
  for (const auto& h : info.hashes) {
    std::string computed = computed_of(h.algorithm);
    if (!computed.empty()) report.checks.push_back({h.algorithm, h.hex, computed, "image"});
  }
  for (const auto& [name, hex] : recorded) {
    std::string computed = computed_of(name);
    if (computed.empty()) {
      report.problems.push_back("the record names an unknown digest '" + name + "'");
    } else {
      report.checks.push_back({name, hex, computed, util::file_name(report.record_file)});
    }
  }
  if (report.checks.empty()) report.problems.push_back("the image stores no digest to compare with");
  return report;
}

}  // namespace exhibit::core
