#include "exhibit/verify.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "core/pipeline.hpp"
#include "hash/digest.hpp"
#include "image/ewf_reader.hpp"
#include "image/segment_names.hpp"
#include "report/record.hpp"
#include "util/aligned_buffer.hpp"

namespace exhibit {

bool VerifyReport::passed() const {
  if (!bad_chunks.empty() || !problems.empty() || checks.empty()) return false;
  for (const auto& c : checks) {
    if (!c.match()) return false;
  }
  return true;
}

namespace {

std::string file_name(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

// Stored chunks are read in order by one thread (libewf knows where each lies), decoded and
// checked by the workers, and digested in order.
Result<core::PipelineResult> read_all_chunks(image::EwfReader& reader, VerifyReport& report, const JobHooks& hooks,
                                             const std::vector<std::string>& algorithms, unsigned threads) {
  const ImageInfo& info = report.info;
  const uint64_t chunk = static_cast<uint64_t>(info.bytes_per_sector) * info.sectors_per_chunk;
  const size_t stored_capacity = static_cast<size_t>(chunk) + 64;  // a raw chunk and its checksum
  const size_t chunks_per_block = static_cast<size_t>(std::max<uint64_t>(1, (4u << 20) / chunk));
  core::PipelineConfig config;
  config.block_capacity = static_cast<size_t>(chunk) * chunks_per_block;
  config.encoded_capacity = stored_capacity * chunks_per_block;
  config.pool_blocks = std::max<size_t>(8, 4 * threads);
  config.workers = threads;
  config.digests = algorithms;
  config.digest_after_transform = true;
  config.cancel = hooks.cancel;

  uint64_t next_offset = 0;
  uint64_t next_chunk = 0;
  auto produce = [&](core::Block& b) -> Result<bool> {
    if (next_offset >= info.media_size) return false;
    b.offset = next_offset;
    for (size_t i = 0; i < chunks_per_block && next_offset < info.media_size; ++i, ++next_chunk) {
      const auto data_size = static_cast<size_t>(std::min<uint64_t>(chunk, info.media_size - next_offset));
      auto c = reader.read_stored_chunk(b.encoded.data() + i * stored_capacity, stored_capacity, data_size);
      if (!c) {
        const uint64_t first = next_chunk * info.sectors_per_chunk;
        return Error(ErrorCode::Corruption, "chunk " + std::to_string(next_chunk) + " (sectors " +
                                                std::to_string(first) + "-" +
                                                std::to_string(first + info.sectors_per_chunk - 1) +
                                                ") cannot be read: " + c.error().message());
      }
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
      if (image::decode_chunk(c.bytes, c.size, c.compressed, c.checksum, out, c.data_size) !=
          image::DecodeStatus::Ok) {
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
    report.bytes_read = b.offset + b.size;
    auto now = std::chrono::steady_clock::now();
    if (hooks.progress && (now - last_report > std::chrono::milliseconds(250) || report.bytes_read == info.media_size)) {
      last_report = now;
      hooks.progress({report.bytes_read, info.media_size, std::chrono::duration<double>(now - start).count(), 0});
    }
    return Ok{};
  };
  core::Pipeline pipeline(config);
  auto result = pipeline.run(produce, transform, consume);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace

Result<VerifyReport> verify_image(const std::string& first_segment, const JobHooks& hooks, unsigned threads) {
  VerifyReport report;
  EXHIBIT_TRY(auto reader, image::EwfReader::open(first_segment));
  report.info = reader->info();
  const ImageInfo& info = report.info;

  // Digests to recompute: what the image stores, what our record holds, and always MD5.
  std::map<std::string, std::string> recorded;
  if (auto base = image::base_of_first_segment(first_segment)) {
    std::string record = report::record_path_for_base(base->base);
    if (::access(record.c_str(), F_OK) == 0) {
      report.record_file = record;
      auto digests = report::read_record_digests(record);
      if (digests) {
        recorded = *digests;
      } else {
        report.problems.push_back("the record " + file_name(record) + " is unreadable: " + digests.error().message());
      }
    }
  }
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
  EXHIBIT_TRY(core::PipelineResult digested, read_all_chunks(*reader, report, hooks, algorithms, threads));
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
      report.checks.push_back({name, hex, computed, file_name(report.record_file)});
    }
  }
  if (report.checks.empty()) report.problems.push_back("the image stores no digest to compare with");
  return report;
}

}  // namespace exhibit
