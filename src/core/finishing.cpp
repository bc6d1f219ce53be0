#include "core/finishing.hpp"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/resume_state.hpp"
#include "core/test_points.hpp"
#include "hash/file_digest.hpp"
#include "util/bounded_input.hpp"

namespace exhibit::core {

namespace {

using nlohmann::json;
constexpr int k_version = 1;

json digests_json(const std::vector<DigestResult>& v) {
  json a = json::array();
  for (const auto& d : v) a.push_back({d.algorithm, d.hex});
  return a;
}

std::vector<DigestResult> digests_from(const json& a) {
  std::vector<DigestResult> out;
  for (const auto& d : a) out.push_back({d.at(0).get<std::string>(), d.at(1).get<std::string>()});
  return out;
}

}  // namespace

std::string render_finishing_state(const FinishingState& s) {
  json copies = json::array();
  for (const auto& c : s.copies) {
    json renames = json::array();
    for (const auto& [from, to] : c.renames) renames.push_back({from, to});
    json segments = json::array();
    for (const auto& f : c.segments) segments.push_back({f.path, f.size, f.sha256});
    copies.push_back({{"base", c.base},
                      {"renames", renames},
                      {"segments", segments},
                      {"files",
                       {{"record", c.record_file},
                        {"checksums", c.checksums_file},
                        {"signature", c.signature_file},
                        {"timestamp_request", c.timestamp_request_file},
                        {"report", c.report_file},
                        {"dfxml", c.dfxml_file},
                        {"case", c.case_file}}}});
  }
  json j = {{"exhibit_finishing", k_version},
            {"copies", copies},
            {"digests", digests_json(s.digests)},
            {"source_digests", digests_json(s.source_digests)},
            {"unreadable", state_ranges_json(s.unreadable)},
            {"recovered", state_ranges_json(s.recovered)},
            {"bytes", s.bytes},
            {"padding", s.padding},
            {"interruptions", s.interruptions},
            {"source", s.source}};
  return j.dump(1, ' ', false, json::error_handler_t::replace) + "\n";
}

bool is_finishing_state(const std::string& text) {
  auto j = util::parse_bounded_json(text, "resume state");
  return j && j->is_object() && j->contains("exhibit_finishing");
}

Result<FinishingState> parse_finishing_state(const std::string& text) {
  try {
    auto parsed = util::parse_bounded_json(text, "its JSON");
    if (!parsed) throw std::invalid_argument(parsed.error().message());
    const json& j = *parsed;
    refuse_fractions(j);
    if (j.at("exhibit_finishing").get<int>() != k_version) {
      return Error(ErrorCode::Unsupported, "finishing state of another version of exhibit");
    }
    FinishingState s;
    for (const auto& c : j.at("copies")) {
      FinishingCopy copy;
      copy.base = c.at("base");
      for (const auto& r : c.at("renames")) copy.renames.emplace_back(r.at(0), r.at(1));
      for (const auto& f : c.at("segments")) copy.segments.push_back({f.at(0), f.at(1), f.at(2)});
      const json& files = c.at("files");
      copy.record_file = files.at("record");
      copy.checksums_file = files.at("checksums");
      copy.signature_file = files.at("signature");
      copy.timestamp_request_file = files.at("timestamp_request");
      copy.report_file = files.at("report");
      copy.dfxml_file = files.value("dfxml", "");  // absent in states of older versions
      copy.case_file = files.value("case", "");
      s.copies.push_back(std::move(copy));
    }
    s.digests = digests_from(j.at("digests"));
    s.source_digests = digests_from(j.at("source_digests"));
    s.unreadable = state_ranges_from(j.at("unreadable"));
    s.recovered = state_ranges_from(j.at("recovered"));
    s.bytes = j.at("bytes");
    s.padding = j.at("padding");
    s.interruptions = j.at("interruptions");
    s.source = j.at("source");
    return s;
  } catch (const std::exception& e) {
    return Error(ErrorCode::Corruption, std::string("not a finishing state exhibit wrote (") + e.what() + ")");
  }
}

namespace {

// Corruption naming `path` when it is not the segment `f` as it was written.
Error changed_segment(const FinishingCopy& c, const std::string& path, const std::string& found,
                      const std::string& written) {
  return Error(ErrorCode::Corruption, "finishing " + c.base + ": " + path + " changed since it was written (" + found +
                                          ", written as " + written + "); nothing was renamed");
}

Status check_segments(const FinishingCopy& c, const std::vector<std::string>& paths, SegmentCheck check) {
  if (check == SegmentCheck::Size) {
    for (size_t i = 0; i < paths.size(); ++i) {
      std::error_code ec;
      const uint64_t size = std::filesystem::file_size(paths[i], ec);
      if (ec || size != c.segments[i].size) {
        return changed_segment(c, paths[i], ec ? ec.message() : std::to_string(size) + " bytes",
                               std::to_string(c.segments[i].size) + " bytes");
      }
    }
    return Ok{};
  }
  const auto digests = hash::digest_files(paths, "sha256", 1, ErrorCode::Corruption);
  for (size_t i = 0; i < paths.size(); ++i) {
    const SegmentFile& f = c.segments[i];
    if (!digests[i]) return Error(ErrorCode::Corruption, "finishing " + c.base + ": " + digests[i].error().message());
    if (digests[i]->hex != f.sha256 || digests[i]->size != f.size) {
      return changed_segment(c, paths[i], "SHA-256 " + digests[i]->hex, f.sha256);
    }
  }
  return Ok{};
}

}  // namespace

Status complete_renames(const FinishingCopy& c, SegmentCheck check, io::Env& env) {
  // Where each file is now: under its temporary name, or already under its final one.
  auto current = [&](const std::string& final_name) -> std::string {
    for (const auto& [from, to] : c.renames) {
      if (to == final_name && ::access(from.c_str(), F_OK) == 0) return from;
    }
    return final_name;
  };
  std::vector<std::string> paths;
  for (const auto& f : c.segments) paths.push_back(current(f.path));
  EXHIBIT_CHECK(check_segments(c, paths, check));
  for (const auto& [from, to] : c.renames) {
    if (::access(from.c_str(), F_OK) != 0) {
      if (::access(to.c_str(), F_OK) == 0) continue;  // renamed before the interruption
      return Error(ErrorCode::Corruption, "finishing " + c.base + ": neither " + from + " nor " + to + " exists");
    }
    EXHIBIT_CHECK(env.rename(from, to));
    fault_point(c.renames.front().first == from ? "finish:first-rename" : "finish:rename");
  }
  if (!c.renames.empty()) (void)env.sync_folder(io::folder_of(c.renames.front().second));
  return Ok{};
}

}  // namespace exhibit::core
