// Batch verification's library side (exhibit/batch.hpp): finding image sets, their state, the
// results file's lines. The CLI (cli/batch_verify) runs the verifications.
#include "exhibit/batch.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/batch_lines.hpp"
#include "core/output_guard.hpp"
#include "core/output_set.hpp"
#include "hash/file_digest.hpp"
#include "image/image_files.hpp"
#include "image/segment_names.hpp"
#include "image/unit_reader.hpp"
#include "io/env.hpp"
#include "util/bounded_input.hpp"
#include "util/text.hpp"

namespace exhibit {

namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// BASE of a first file we read, "" for any other name.
std::string base_of(const std::string& path) { return image::image_base(path).value_or(""); }

bool is_first_file(const std::string& path) {
  const std::string base = base_of(path);
  if (base.empty()) return false;
  if (ends_with(path, ".001") || ends_with(path, ".raw")) {
    std::error_code ec;
    return fs::is_regular_file(base + ".manifest.json", ec) || fs::is_regular_file(base + ".log", ec);
  }
  return true;
}

// The files of the set whose first file is `first`: it, and the files beside it named as its
// later segments (E01 .. ZZZ, 001 .., Ex01 .. EzZZ).
std::vector<std::string> set_files(const std::string& first) {
  const std::string base = base_of(first);
  std::set<std::string> files{first};
  for (const auto& f : image::segment_named_files(base)) files.insert(f);
  std::error_code ec;
  const fs::path folder = fs::path(first).parent_path().empty() ? fs::path(".") : fs::path(first).parent_path();
  const std::string stem = fs::path(base).filename();
  for (const auto& e : fs::directory_iterator(folder, ec)) {
    const std::string name = e.path().filename();
    // BASE.Ex01 ... BASE.EzZZ (or .ex01 ... .ezzz), as the EWF2 reader names its segments.
    if (name.size() == stem.size() + 5 && name.compare(0, stem.size() + 1, stem + ".") == 0 &&
        image::is_ewf2_segment_extension(name.substr(stem.size() + 1))) {
      files.insert((fs::path(first).parent_path() / name).string());
    }
  }
  return {files.begin(), files.end()};
}

}  // namespace

Result<std::vector<std::string>> find_image_sets(const std::vector<std::string>& paths) {
  std::vector<std::string> found;
  for (const auto& p : paths) {
    std::error_code ec;
    const auto st = fs::status(p, ec);
    if (ec || !fs::exists(st)) return Error(ErrorCode::NotFound, p + ": no such file or folder");
    if (!fs::is_directory(st)) {
      found.push_back(p);
      continue;
    }
    fs::recursive_directory_iterator it(p, fs::directory_options::none, ec), end;
    if (ec) return Error::from_errno(ErrorCode::Io, "reading the folder " + p, ec.value());
    for (; it != end; it.increment(ec)) {
      if (ec) return Error::from_errno(ErrorCode::Io, "reading the folder " + p, ec.value());
      if (it->is_regular_file(ec) && !it->is_symlink(ec) && is_first_file(it->path().string())) {
        found.push_back(it->path().string());
      }
    }
  }
  std::sort(found.begin(), found.end());
  // Each set once, however it was reached (a file given and its folder, or two spellings).
  std::vector<std::string> out;
  std::set<std::pair<dev_t, ino_t>> seen;
  for (const auto& f : found) {
    struct stat st {};
    if (::stat(f.c_str(), &st) == 0 && !seen.insert({st.st_dev, st.st_ino}).second) continue;
    out.push_back(f);
  }
  return out;
}

Result<ImageSetState> image_set_state(const std::string& first_file) {
  ImageSetState s;
  std::error_code ec;
  s.path = fs::absolute(first_file, ec).lexically_normal().string();  // the same from any folder
  if (ec) s.path = first_file;
  for (const auto& f : set_files(first_file)) {
    struct stat st {};
    if (::stat(f.c_str(), &st) != 0) {
      if (f == first_file) return Error::from_errno(ErrorCode::NotFound, first_file, errno);
      continue;
    }
    s.size += static_cast<uint64_t>(st.st_size);
    s.mtime_ns = std::max<int64_t>(s.mtime_ns, int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec);
  }
  const std::string record = base_of(first_file) + ".manifest.json";
  if (::access(record.c_str(), F_OK) == 0) {
    auto d = hash::digest_files({record}, "sha256", 1);
    if (!d.front()) return d.front().error();
    s.record_sha256 = d.front()->hex;
  }
  return s;
}

Result<std::vector<BatchEntry>> load_batch_results(const std::string& results_file) {
  std::vector<BatchEntry> out;
  // A line that is not usable (cut short by a kill): that image is verified again.
  auto read = core::read_result_lines(results_file,
                                      [&](size_t, const nlohmann::json&, const BatchEntry& e) { out.push_back(e); });
  if (!read && read.error().code() != ErrorCode::NotFound) return read.error();
  return out;
}

int worse_exit_code(int a, int b) {
  auto rank = [](int code) { return code == 1 ? 3 : code == 3 ? 2 : code == 0 ? 0 : 1; };
  return rank(b) > rank(a) ? b : a;
}

void core::protect_image_sets(OutputGuard& guard, const std::vector<std::string>& first_files) {
  for (const auto& first : first_files) {
    for (const auto& f : set_files(first)) guard.protect_file(f, "a file of an image of the batch");
    const std::string base = base_of(first);
    if (base.empty()) continue;
    // Everything an acquisition writes beside its image: record, log, map, checksums, reports, ...
    for (const auto& f : OutputSet(base).all_paths()) guard.protect_file(f, "a file beside an image of the batch");
  }
}

Status check_batch_results_path(const std::string& results_file, const std::vector<std::string>& images) {
  core::OutputGuard guard;
  core::protect_image_sets(guard, images);
  guard.add_output(results_file, /*may_exist=*/true);
  return guard.check(/*force=*/false);
}

std::string batch_result_line(const ImageSetState& state, const std::string& verify_document, int exit_code,
                              int64_t started_unix, int64_t ended_unix, const std::string& report,
                              const std::string& verify_stderr) {
  auto doc = util::parse_bounded_json(verify_document, "verify's output");
  nlohmann::json j = doc && doc->is_object() ? *doc : nlohmann::json::object();
  if (!doc || !doc->is_object()) {  // verify's error document, made here: it died before printing one
    j = {{"output_version", 1},
         {"command", "verify"},
         {"tool", {{"name", "exhibit"}, {"version", EXHIBIT_VERSION}}},
         {"error", "verify printed no result (it crashed or was killed)" +
                       (verify_stderr.empty() ? "" : ": " + verify_stderr.substr(0, verify_stderr.find('\n')))}};
    if (exit_code == 0) exit_code = 3;  // no result is never a pass
  }
  j["exit_code"] = exit_code;
  auto utc = [](int64_t t) { return util::iso8601_utc(static_cast<std::time_t>(t)); };
  j["batch"] = {{"path", state.path},           {"size", state.size},
                {"mtime_ns", state.mtime_ns},   {"record_sha256", state.record_sha256},
                {"started", utc(started_unix)}, {"ended", utc(ended_unix)}};
  if (!report.empty()) j["batch"]["report"] = report;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status append_batch_result(const std::string& results_file, const std::string& line) {
  io::Env& env = io::posix_env();
  auto file = env.open(results_file, io::OpenMode::Append);
  const bool made = !file && file.error().sys_errno() == ENOENT;
  if (made) file = env.open(results_file, io::OpenMode::New);
  if (!file) return file.error();
  const std::string text = line + "\n";
  if (auto st = (*file)->append(text.data(), text.size()); !st) return st;
  if (auto st = (*file)->sync(); !st) return st;
  if (auto st = (*file)->close(); !st) return st;
  if (made) return env.sync_folder(io::folder_of(results_file));  // the new file's name is durable too
  return Ok{};
}

}  // namespace exhibit
