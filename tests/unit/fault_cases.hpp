// What the fault-injection tests of acquire and export share: the formats, a source, an
// acquisition through a FaultEnv, the choice of the call to fail from a run without faults, and
// the checks of what a failed run leaves.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "exhibit/acquire.hpp"
#include "exhibit/export.hpp"
#include "fault_env.hpp"
#include "test_support.hpp"

namespace exhibit::test {

struct FormatCase {
  ImageFormat format;
  const char* name;
  const char* ext;  // of the first file: BASE.incomplete.EXT while written, BASE.EXT when finished
};

inline const FormatCase k_formats[] = {{ImageFormat::E01, "E01", ".E01"},
                                       {ImageFormat::Raw, "Raw", ".001"},
                                       {ImageFormat::Zst, "Zst", ".zst"}};

inline void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.name; }
inline std::string format_case_name(const testing::TestParamInfo<FormatCase>& info) { return info.param.name; }

// 12 MiB: three 4 MiB blocks, so a run saves its state (and syncs its image) several times.
inline std::string fault_source_bytes() { return random_bytes(8 << 20, 41) + std::string(4 << 20, 'x'); }

inline AcquireOptions fault_options(const std::string& source, const std::string& base, ImageFormat format) {
  AcquireOptions o;
  o.source = source;
  o.output_base = base;
  o.format = format;
  o.threads = 1;
  o.source_date_epoch = 1767225600;  // same input, same files
  return o;
}

// Every now() jumps 3 s, so the state is saved (and the image synced) after every block.
inline Result<AcquireResult> acquire_through(FaultEnv& env, const AcquireOptions& o) {
  env.advance_clock_by(std::chrono::seconds(3));
  JobHooks hooks;
  hooks.env = &env;
  return acquire(o, hooks);
}

// The calls a run makes: a run without faults through a counting FaultEnv, its outputs (inside
// `root`) moved to a fresh folder inside `root`, so the same texts match their paths.
inline std::vector<FaultCall> calls_of_a_clean_run(const std::string& root, const AcquireOptions& o) {
  static unsigned runs = 0;
  const std::string clean = root + "/clean-" + std::to_string(++runs);
  const auto moved = [&](const std::string& path) { return clean + path.substr(root.size()); };
  AcquireOptions c = o;
  c.output_base = moved(o.output_base);
  for (auto& b : c.second_outputs) b = moved(b);
  FaultEnv env;
  auto r = acquire_through(env, c);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
  return env.calls();
}

// For a Fault on `op` and `path_contains`: its nth, counted among the calls of `op` on paths
// containing `path_contains`, that hits the first such call for which `pick` holds (0: none does).
inline unsigned nth_call(const std::vector<FaultCall>& calls, FaultOp op, const std::string& path_contains,
                         const std::function<bool(size_t index, const FaultCall&)>& pick) {
  unsigned n = 0;
  for (size_t i = 0; i < calls.size(); ++i) {
    const FaultCall& c = calls[i];
    if (c.op != op || c.path.find(path_contains) == std::string::npos) continue;
    ++n;
    if (pick(i, c)) return n;
  }
  return 0;
}

// How many calls of `op` on paths containing `text` come before calls[index].
inline unsigned calls_before(const std::vector<FaultCall>& calls, size_t index, FaultOp op, const std::string& text) {
  unsigned n = 0;
  for (size_t i = 0; i < index; ++i) n += calls[i].op == op && calls[i].path.find(text) != std::string::npos ? 1 : 0;
  return n;
}

// The media bytes of the image `first_file`, exported with the real file system.
inline std::string exported_media(const std::string& first_file, const std::string& scratch) {
  ExportOptions e;
  e.image = first_file;
  e.output = scratch + "/exported.bin";
  e.force = true;
  auto r = export_image(e);
  if (!r) return "(export failed: " + r.error().message() + ")";
  std::string bytes = read_file(e.output);
  std::filesystem::remove(e.output);
  return bytes;
}

inline bool exists(const std::string& path) { return std::filesystem::exists(path); }

}  // namespace exhibit::test
