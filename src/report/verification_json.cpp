// verification_json (report/json_util.hpp): acquire --verify's result in the record and in --json.
#include "report/json_util.hpp"

namespace exhibit::report {

namespace {

using nlohmann::ordered_json;

ordered_json copy_json(const CopyVerification& c, std::string (*base_of)(const std::string&)) {
  const VerifyReport& r = c.report;
  ordered_json digests = ordered_json::array();
  for (const auto& d : r.checks) {
    digests.push_back({{"algorithm", d.algorithm}, {"stored_in", d.stored_in}, {"match", d.match()}});
  }
  ordered_json pieces = ordered_json::array();
  for (const auto& m : r.piece_mismatches) pieces.push_back(m.index);
  ordered_json files = ordered_json::array();
  for (const auto& f : r.segment_checks) files.push_back({{"file", base_of(f.file)}, {"match", f.match()}});
  ordered_json j = {{"base", base_of(c.base)},
                    {"verdict", r.passed() ? "verified" : "failed"},
                    {"digests", digests},
                    {"bad_chunks", ranges_json(r.bad_chunks)},
                    {"pieces_checked", r.pieces_checked},
                    {"piece_mismatches", pieces},
                    {"segment_files", files},
                    {"source", nullptr},
                    {"problems", r.problems}};
  if (r.source) {
    j["source"] = {{"path", r.source->path},
                   {"compared", r.source->compared},
                   {"differences", ranges_json(r.source->differences)},
                   {"unreadable", ranges_json(r.source->unreadable)},
                   {"readable_now", ranges_json(r.source->readable_now)}};
  }
  return j;
}

}  // namespace

ordered_json verification_json(const AcquireVerification& v, bool with_times,
                               std::string (*base_of)(const std::string&)) {
  ordered_json copies = ordered_json::array();
  for (const auto& c : v.copies) copies.push_back(copy_json(c, base_of));
  return {{"requested", v.what == VerifyAfter::Source ? "image and source" : "image"},
          {"started", with_times ? ordered_json(v.started) : ordered_json()},
          {"finished", with_times ? ordered_json(v.finished) : ordered_json()},
          {"seconds", with_times ? ordered_json(v.seconds) : ordered_json()},
          {"verdict", v.passed() ? "verified" : "failed"},
          {"copies", copies}};
}

}  // namespace exhibit::report
