#include "core/destination.hpp"

#include <algorithm>

#include "hash/file_digest.hpp"

namespace exhibit::core {

namespace {

image::WriterSetup setup_for(const OutputSet& out, ImageFormat format, const image::EwfWriteOptions& w,
                             uint64_t segment_size, io::Env& env) {
  image::WriterSetup s;
  s.env = &env;
  s.format = format;
  s.base = out.partial_base();
  s.ewf = w;
  s.segment_size = segment_size;
  return s;
}

}  // namespace

Status Destination::create(const image::EwfWriteOptions& w, uint64_t segment_size, bool one_file) {
  EXHIBIT_TRY(m_writer, image::create_writer(setup_for(m_out, m_format, w, one_file ? 0 : segment_size, *m_env)));
  return Ok{};
}

Status Destination::resume(const image::EwfWriteOptions& w, const ResumeState& state, const CopyProgress& progress) {
  const uint64_t segment_size = state.one_file ? 0 : state.segment_size;
  EXHIBIT_TRY(m_writer, image::resume_writer(setup_for(m_out, m_format, w, segment_size, *m_env), progress.writer,
                                             state.unreadable));
  return Ok{};
}

Status Destination::checkpoint(CopyProgress& progress) {
  Status st = m_writer ? m_writer->checkpoint(progress.writer) : Status(Ok{});
  if (!st) m_broken = true;
  return st;
}

Result<std::unique_ptr<image::PrefixReader>> Destination::read_back(const CopyProgress& progress, uint64_t bytes,
                                                                    uint64_t chunk_bytes) const {
  if (!m_writer) return Error(ErrorCode::InvalidArgument, "no image writer to read back from");
  return m_writer->read_back(progress.writer, bytes, chunk_bytes);
}

Status Destination::write(const Block& b) {
  if (!m_writer) return Ok{};
  Status st = m_writer->write({b.data.data(), b.size, b.chunks});
  if (!st) m_broken = true;
  return st;
}

Status Destination::finish(const std::string& md5, const std::string& sha1, const std::string& record_text) {
  Status st = m_writer ? m_writer->finish(md5, sha1, record_text) : Status(Ok{});
  if (!st) m_broken = true;
  return st;
}

Result<std::vector<SegmentFile>> Destination::hash_segments(unsigned threads, StageLoad& account) const {
  const auto renames = m_out.segment_renames();  // last first
  if (renames.empty()) return Error(ErrorCode::Destination, "no segment file was written for " + m_out.base());
  std::vector<std::string> written;
  for (auto it = renames.rbegin(); it != renames.rend(); ++it) {
    written.push_back(it->first);
    // Durable before a finishing state can say they are complete.
    EXHIBIT_CHECK(m_env->sync_file(it->first));
  }
  // What the writer hashed as it wrote (read back behind it), and the rest read once more now.
  std::vector<Result<hash::FileDigest>> digests(written.size(), Error(ErrorCode::Destination, "not hashed"));
  std::vector<std::string> left;
  std::vector<size_t> left_at;
  const std::vector<hash::FileDigest> hashed = m_writer ? m_writer->hashed_files() : std::vector<hash::FileDigest>{};
  for (size_t i = 0; i < written.size(); ++i) {
    const auto it = std::find_if(hashed.begin(), hashed.end(), [&](const auto& h) { return h.path == written[i]; });
    if (it != hashed.end()) {
      digests[i] = *it;
    } else {
      left.push_back(written[i]);
      left_at.push_back(i);
    }
  }
  auto rest = hash::digest_files(left, "sha256", threads, ErrorCode::Destination);
  for (size_t k = 0; k < rest.size(); ++k) digests[left_at[k]] = std::move(rest[k]);
  account.threads = std::max(account.threads, static_cast<unsigned>(hash::file_digest_threads(threads, left.size())));
  std::vector<SegmentFile> out;
  for (size_t i = 0; i < digests.size(); ++i) {
    if (!digests[i]) return digests[i].error();
    account.bytes += digests[i]->size;
    account.cpu_seconds += digests[i]->cpu_seconds;
    out.push_back({renames[renames.size() - 1 - i].second, digests[i]->size, digests[i]->hex});
  }
  return out;
}

}  // namespace exhibit::core
