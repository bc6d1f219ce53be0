#include "exhibit/verify.hpp"

#include <unistd.h>

#include <chrono>

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

}  // namespace

Result<VerifyReport> verify_image(const std::string& first_segment, const JobHooks& hooks) {
  VerifyReport report;
  EXHIBIT_TRY(auto reader, image::EwfReader::open(first_segment));
  report.info = reader->info();
  const ImageInfo& info = report.info;

  // Digests to recompute: what the image stores, what our record holds, and always MD5 and SHA-1.
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
  std::vector<std::string> algorithms{"md5", "sha1"};
  for (const auto& [name, hex] : recorded) {
    if (hash::canonical_algorithm(name)) algorithms.push_back(name);
  }
  EXHIBIT_TRY(hash::DigestSet digests, hash::DigestSet::create(algorithms));

  const uint64_t chunk = static_cast<uint64_t>(info.bytes_per_sector) * info.sectors_per_chunk;
  const size_t buf_size = static_cast<size_t>(std::max<uint64_t>(chunk, (1u << 20) / chunk * chunk));
  util::AlignedBuffer buf(buf_size);
  const auto start = std::chrono::steady_clock::now();
  auto last_report = start - std::chrono::seconds(1);
  while (report.bytes_read < info.media_size) {
    if (hooks.cancel != nullptr && hooks.cancel->load()) return Error(ErrorCode::Cancelled, "interrupted");
    size_t want = static_cast<size_t>(std::min<uint64_t>(buf_size, info.media_size - report.bytes_read));
    EXHIBIT_TRY(size_t n, reader->read(buf.data(), want));
    if (n == 0) {
      return Error(ErrorCode::Corruption, first_segment + ": media data ends at byte " +
                                              std::to_string(report.bytes_read) + " of " +
                                              std::to_string(info.media_size));
    }
    digests.update(buf.data(), n);
    report.bytes_read += n;
    auto now = std::chrono::steady_clock::now();
    if (hooks.progress && (now - last_report > std::chrono::milliseconds(250) || report.bytes_read == info.media_size)) {
      last_report = now;
      hooks.progress({report.bytes_read, info.media_size, std::chrono::duration<double>(now - start).count(), 0});
    }
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXHIBIT_TRY(report.bad_chunks, reader->checksum_errors());

  for (auto& d : digests.finish()) report.computed.push_back({d.algorithm, d.hex});
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
