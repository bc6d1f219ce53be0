// Merging batch results files into one summary (exhibit/batch_report.hpp), and its JSON.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "core/batch_lines.hpp"
#include "exhibit/batch_report.hpp"
#include "util/bounded_input.hpp"

namespace exhibit {

namespace fs = std::filesystem;

namespace {

const nlohmann::json* field(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}
std::string string_at(const nlohmann::json& j, const char* key) {
  const auto* v = field(j, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : "";
}
const nlohmann::json& array_at(const nlohmann::json& j, const char* key) {
  static const nlohmann::json empty = nlohmann::json::array();
  const auto* v = field(j, key);
  return v != nullptr && v->is_array() ? *v : empty;
}

// Why a result is not a pass, in a line: the error, verify's first problem, or what differed.
std::string reason_of(const nlohmann::json& doc, BatchVerdict verdict) {
  if (verdict == BatchVerdict::Verified) return "";
  if (auto e = string_at(doc, "error"); !e.empty()) return e;
  auto first_of = [&](const char* key, const char* label) -> std::string {
    const auto& a = array_at(doc, key);
    if (a.empty()) return "";
    std::string what = a[0].is_string() ? a[0].get<std::string>()
                       : a[0].is_object() && a[0].contains("message") && a[0]["message"].is_string()
                           ? a[0]["message"].get<std::string>()
                           : a[0].dump();
    if (a.size() > 1) what += " (and " + std::to_string(a.size() - 1) + " more)";
    return label + what;
  };
  for (auto [key, label] : {std::pair{"problems", ""}, std::pair{"record_mismatches", "the record differs: "}}) {
    if (auto r = first_of(key, label); !r.empty()) return r;
  }
  if (const auto& bad = array_at(doc, "bad_chunks"); !bad.empty()) {
    const auto& first = bad[0];
    return std::to_string(bad.size()) + " damaged chunk range(s)" +
           (first.is_object() && first.contains("first_sector") && first["first_sector"].is_number_unsigned()
                ? ", the first at sector " + std::to_string(first["first_sector"].get<uint64_t>())
                : "");
  }
  for (const auto& d : array_at(doc, "digests")) {
    if (d.is_object() && d.contains("match") && d["match"] == false) {
      return string_at(d, "algorithm") + " differs from the value stored in " + string_at(d, "stored_in");
    }
  }
  if (const auto* p = field(doc, "pieces"); p != nullptr && !array_at(*p, "mismatches").empty()) {
    return "pieces differ from the record";
  }
  if (verdict == BatchVerdict::Failed) return "verify failed the image (its result names no reason)";
  return "not verified (exit code " + std::to_string(doc.value("exit_code", 3)) + ")";
}

// One result line as the summary shows it.
BatchImage image_of(const nlohmann::json& doc, const BatchEntry& e, const std::string& file, size_t line) {
  BatchImage im;
  im.path = e.state.path;
  im.size = e.state.size;
  im.exit_code = e.exit_code;
  const std::string verdict = string_at(doc, "verdict");
  // VERIFIED needs both: exit code 0 and verify's own "verified". Anything else is not a pass.
  if (e.exit_code == 0 && verdict == "verified") im.verdict = BatchVerdict::Verified;
  else if (e.exit_code == 1) im.verdict = BatchVerdict::Failed;
  else im.verdict = BatchVerdict::NotDone;
  im.reason = reason_of(doc, im.verdict);
  if (e.exit_code == 0 && im.verdict != BatchVerdict::Verified) {
    im.exit_code = 3;
    im.reason = "the result says exit code 0 but not \"verified\": not taken as a pass";
  }
  if (const auto* b = field(doc, "batch")) {
    im.started = string_at(*b, "started");
    im.ended = string_at(*b, "ended");
    im.report = string_at(*b, "report");
  }
  if (const auto* m = field(doc, "media"); m != nullptr && m->contains("size") && (*m)["size"].is_number_unsigned()) {
    im.media_size = (*m)["size"].get<uint64_t>();
  }
  if (const auto* s = field(doc, "seconds"); s != nullptr && s->is_number()) im.seconds = s->get<double>();
  for (const auto& d : array_at(doc, "digests")) {
    const std::string alg = string_at(d, "algorithm");
    if (alg.empty()) continue;
    auto it = std::find_if(im.digests.begin(), im.digests.end(),
                           [&](const BatchDigest& x) { return x.algorithm == alg; });
    if (it == im.digests.end()) it = im.digests.insert(im.digests.end(), {alg, string_at(d, "computed"), true});
    if (d.contains("match") && d["match"] != true) it->matched = false;
  }
  for (const auto& n : array_at(doc, "not_checked")) {
    if (n.is_string()) im.notes.push_back("not checked: " + n.get<std::string>());
  }
  const std::string record = string_at(doc, "record");
  const std::string suffix = ".manifest.json";
  if (record.size() > suffix.size() && record.compare(record.size() - suffix.size(), suffix.size(), suffix) == 0) {
    const std::string html = record.substr(0, record.size() - suffix.size()) + ".report.html";
    struct stat st {};
    if (::stat(html.c_str(), &st) == 0 && S_ISREG(st.st_mode)) im.acquisition_report = html;
  }
  im.results_file = file;
  im.line = line;
  return im;
}

int rank(BatchVerdict v) { return v == BatchVerdict::Failed ? 0 : v == BatchVerdict::NotDone ? 1 : 2; }

// The results files a path names: itself, or a folder's *.jsonl (directly inside), by name.
Result<std::vector<std::string>> results_files(const std::string& path) {
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return Error(ErrorCode::NotFound, path + ": no such file or folder");
  if (!fs::is_directory(st)) return std::vector<std::string>{path};
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(path, ec)) {
    if (e.path().extension() == ".jsonl" && e.is_regular_file(ec)) out.push_back(e.path().string());
  }
  if (ec) return Error::from_errno(ErrorCode::Io, "reading the folder " + path, ec.value());
  if (out.empty()) return Error(ErrorCode::NotFound, path + ": no results files (*.jsonl) in this folder");
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string batch_result_reason(const std::string& result_line) {
  auto doc = util::parse_bounded_json(result_line, "a batch result");
  if (!doc || !doc->is_object()) return "";
  const int code = doc->value("exit_code", 3);
  const bool verified = code == 0 && string_at(*doc, "verdict") == "verified";
  return reason_of(*doc, verified ? BatchVerdict::Verified : code == 1 ? BatchVerdict::Failed : BatchVerdict::NotDone);
}

const char* batch_verdict_name(BatchVerdict v) {
  return v == BatchVerdict::Verified ? "verified" : v == BatchVerdict::Failed ? "failed" : "not done";
}

Result<BatchSummary> merge_batch_results(const std::vector<std::string>& paths) {
  BatchSummary out;
  struct Seen {
    BatchImage kept;
    std::vector<std::pair<ImageSetState, BatchVerdict>> all;
    ImageSetState kept_state;
  };
  std::map<std::string, Seen> by_path;
  for (const auto& p : paths) {
    auto files = results_files(p);
    if (!files) return files.error();
    for (const auto& f : *files) {
      BatchInput input{f, 0, {}};
      auto read = core::read_result_lines(f, [&](size_t line, const nlohmann::json& doc, const BatchEntry& e) {
        BatchImage im = image_of(doc, e, f, line);
        Seen& s = by_path[e.state.path];
        s.all.emplace_back(e.state, im.verdict);
        // The latest result is kept: by its end time, then by the order read (a later line, a later file).
        if (s.all.size() == 1 || im.ended >= s.kept.ended) {
          s.kept = std::move(im);
          s.kept_state = e.state;
        }
      });
      if (!read) return read.error();
      input.lines = read->lines;
      input.unreadable_lines = read->unreadable;
      out.inputs.push_back(std::move(input));
    }
  }
  for (auto& [path, s] : by_path) {
    BatchImage im = std::move(s.kept);
    bool kept_skipped = false;
    for (const auto& [state, verdict] : s.all) {
      if (!kept_skipped && state == s.kept_state && verdict == im.verdict) {
        kept_skipped = true;  // the kept one itself
        continue;
      }
      ++im.earlier_results;
      im.earlier_failures += verdict != BatchVerdict::Verified;
      im.changed_while_unchanged |= state == s.kept_state && verdict != im.verdict;
    }
    out.bytes += im.size;
    out.verified += im.verdict == BatchVerdict::Verified;
    out.failed += im.verdict == BatchVerdict::Failed;
    out.not_done += im.verdict == BatchVerdict::NotDone;
    out.exit_code = worse_exit_code(out.exit_code, im.exit_code);
    out.images.push_back(std::move(im));
  }
  std::stable_sort(out.images.begin(), out.images.end(),
                   [](const BatchImage& a, const BatchImage& b) { return rank(a.verdict) < rank(b.verdict); });
  return out;
}

std::string batch_summary_json(const BatchSummary& s) {
  nlohmann::json j = {{"output_version", 1},
                      {"command", "report"},
                      {"tool", {{"name", "exhibit"}, {"version", EXHIBIT_VERSION}}},
                      {"exit_code", s.exit_code},
                      {"counts",
                       {{"images", s.images.size()},
                        {"verified", s.verified},
                        {"failed", s.failed},
                        {"not_done", s.not_done},
                        {"bytes", s.bytes}}}};
  j["inputs"] = nlohmann::json::array();
  for (const auto& in : s.inputs) {
    j["inputs"].push_back({{"path", in.path}, {"lines", in.lines}, {"unreadable_lines", in.unreadable_lines}});
  }
  j["images"] = nlohmann::json::array();
  for (const auto& im : s.images) {
    nlohmann::json d = nlohmann::json::object();
    for (const auto& g : im.digests) d[g.algorithm] = {{"computed", g.computed}, {"matched", g.matched}};
    auto or_null = [](const std::string& v) { return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v); };
    j["images"].push_back({{"path", im.path},
                           {"verdict", batch_verdict_name(im.verdict)},
                           {"exit_code", im.exit_code},
                           {"size", im.size},
                           {"media_size", im.media_size},
                           {"started", im.started},
                           {"ended", im.ended},
                           {"seconds", im.seconds},
                           {"digests", d},
                           {"reason", im.reason},
                           {"notes", im.notes},
                           {"report", or_null(im.report)},
                           {"acquisition_report", or_null(im.acquisition_report)},
                           {"results_file", im.results_file},
                           {"line", im.line},
                           {"earlier_results", im.earlier_results},
                           {"earlier_failures", im.earlier_failures},
                           {"verdict_changed_while_image_unchanged", im.changed_while_unchanged}});
  }
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace exhibit
