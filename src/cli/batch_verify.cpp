// exhibit verify over many images (folders, or several paths): each image verified by a process
// of its own (`exhibit verify --json`: one crash or hang is that image's, not the batch's), up to
// --jobs at once, each result appended and synced to --results as it ends; a batch run again
// with the same results file skips the images whose result it already holds, as they are now.
#include "batch_verify.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>

#include "commands.hpp"
#include "exhibit/batch.hpp"
#include "exhibit/batch_report.hpp"
#include "exhibit/text.hpp"
#include "exit_code.hpp"

extern char** environ;

namespace exhibit::cli {

namespace {

const char* verdict_word(int code) {
  return code == 0 ? "VERIFIED" : code == k_exit_verify_failed ? "FAILED" : "NOT DONE";
}

std::string read_all(const std::string& path, size_t limit) {
  std::string out;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return out;
  char buf[65536];
  size_t n = 0;
  while (out.size() < limit && (n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

struct Running {
  std::string image;
  ImageSetState state;
  std::string out, err;  // the child's stdout and stderr, in files
  int64_t started = 0;
  std::string report;  // --report-dir: the page this verification writes
};

// A name in --report-dir no earlier verification took: the image's file name, a hash of its whole
// path (two disk1.E01 of two cases differ), the time, and a count if that name is taken.
std::string report_path(const std::string& folder, const std::string& image) {
  std::error_code ec;
  const std::string dir = std::filesystem::absolute(folder, ec).lexically_normal().string();
  uint32_t h = 2166136261u;  // FNV-1a: stable across builds and machines
  for (unsigned char c : image) h = (h ^ c) * 16777619u;
  char stamp[64];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  const size_t slash = image.find_last_of('/');
  char hash[16];
  std::snprintf(hash, sizeof hash, "%08x", h);
  const std::string stem = dir + "/" + (slash == std::string::npos ? image : image.substr(slash + 1)) + "." + hash +
                           "." + stamp;
  std::string path = stem + ".html";
  for (int k = 2; ::access(path.c_str(), F_OK) == 0; ++k) path = stem + "-" + std::to_string(k) + ".html";
  return path;
}

// Starts `exhibit verify --json -q ... IMAGE` with its output in two scratch files.
std::optional<pid_t> start(const CommandLine& cl, const std::string& scratch, size_t index, Running& r) {
  r.out = scratch + "/" + std::to_string(index) + ".json";
  r.err = scratch + "/" + std::to_string(index) + ".err";
  std::vector<std::string> args = {"exhibit", "verify", "--json", "-q", "-j", std::to_string(cl.threads)};
  if (!cl.verify_options.trust_pem.empty()) args.insert(args.end(), {"--trust", cl.verify_options.trust_pem});
  if (!cl.verify_options.pubkey_pem.empty()) args.insert(args.end(), {"--pubkey", cl.verify_options.pubkey_pem});
  if (cl.verify_options.require_signature) args.emplace_back("--require-signature");
  if (!cl.report_dir.empty()) {
    r.report = report_path(cl.report_dir, r.state.path);
    args.insert(args.end(), {"--report", r.report});
  }
  args.push_back(r.state.path);  // absolute: the result names its files the same from any folder
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, r.out.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, r.err.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/proc/self/exe", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return std::nullopt;
  r.started = std::time(nullptr);
  return pid;
}

// One line on stderr, on a terminal only: images done, failures, bytes, rate, time left.
void show_progress(bool enabled, size_t done, size_t total, size_t failed, uint64_t bytes, uint64_t total_bytes,
                   double seconds) {
  if (!enabled) return;
  const double rate = seconds > 0 ? static_cast<double>(bytes) / seconds : 0;
  std::string left = rate > 0 ? format_duration(static_cast<double>(total_bytes - bytes) / rate) : "-";
  std::fprintf(stderr, "\rverifying: %zu of %zu images, %zu failed, %s of %s, %s/s, %s left   ", done, total, failed,
               format_bytes(bytes).c_str(), format_bytes(total_bytes).c_str(),
               format_bytes(static_cast<uint64_t>(rate)).c_str(), left.c_str());
  std::fflush(stderr);
}

}  // namespace

bool is_batch_verify(const CommandLine& cl) {
  struct stat st {};
  return cl.images.size() > 1 || cl.jobs > 0 || !cl.results.empty() || cl.recheck || !cl.report_dir.empty() ||
         cl.list_only || (cl.images.size() == 1 && ::stat(cl.images[0].c_str(), &st) == 0 && S_ISDIR(st.st_mode));
}

int run_batch_verify(const CommandLine& cl, const std::atomic<bool>& cancel) {
  if (!cl.verify_options.source.empty() || !cl.verify_options.report.empty() || cl.dfxml || cl.case_jsonld) {
    return report_error(Error(ErrorCode::InvalidArgument,
                              "--source, --report, --dfxml and --case apply to one image; verify images one by one for "
                              "them (--report-dir writes each image's report)"));
  }
  auto images = find_image_sets(cl.images);
  if (!images) return report_error(images.error());
  if (images->empty()) return report_error(Error(ErrorCode::NotFound, "no image sets found under the paths given"));
  if (cl.list_only) {  // the list a cluster's job array takes (tools/slurm-verify --list)
    for (const auto& image : *images) {
      auto state = image_set_state(image);
      if (!state) return report_error(state.error());
      if (state->path.find('\n') != std::string::npos) {  // one a line: such a name cannot be listed
        return report_error(Error(ErrorCode::InvalidArgument, state->path + ": a newline in the name; rename it"));
      }
      std::printf("%s\n", state->path.c_str());
    }
    return k_exit_ok;
  }
  std::map<std::string, BatchEntry> earlier;  // the last result of each path
  if (!cl.results.empty()) {
    if (auto st = check_batch_results_path(cl.results, *images); !st) return report_error(st.error());
    auto loaded = load_batch_results(cl.results);
    if (!loaded) return report_error(loaded.error());
    if (!cl.recheck) {
      for (auto& e : *loaded) earlier[e.state.path] = e;
    }
  }
  if (!cl.report_dir.empty()) {
    if (::mkdir(cl.report_dir.c_str(), 0755) != 0 && errno != EEXIST) {
      return report_error(Error::from_errno(ErrorCode::InvalidArgument, "making the folder " + cl.report_dir, errno));
    }
    struct stat st {};
    if (::stat(cl.report_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return report_error(Error(ErrorCode::InvalidArgument, "--report-dir " + cl.report_dir + ": not a folder"));
    }
  }
  char scratch_template[] = "/tmp/exhibit-batch-XXXXXX";
  const char* scratch_dir = ::mkdtemp(scratch_template);
  if (scratch_dir == nullptr) return report_error(Error::from_errno(ErrorCode::Io, "making a scratch folder", errno));
  const std::string scratch = scratch_dir;

  // What is left to do, and what an earlier run already holds for the images as they are now.
  std::vector<Running> todo;
  int worst = 0;
  size_t skipped = 0, failed = 0;
  uint64_t total_bytes = 0;
  for (const auto& image : *images) {
    auto state = image_set_state(image);
    if (!state) return report_error(state.error());
    auto e = earlier.find(state->path);
    if (e != earlier.end() && e->second.state == *state) {
      ++skipped;
      worst = worse_exit_code(worst, e->second.exit_code);
      failed += e->second.exit_code != 0;
      continue;
    }
    total_bytes += state->size;
    todo.push_back({image, *state, "", "", 0, ""});
  }
  if (!cl.quiet && skipped > 0) {
    std::fprintf(stderr, "exhibit: %zu of %zu images already verified as they are now (%s); verifying the rest\n",
                 skipped, images->size(), sanitize_for_terminal(cl.results).c_str());
  }
  const unsigned jobs = cl.jobs > 0 ? cl.jobs : std::max(1u, std::thread::hardware_concurrency());
  const bool progress = !cl.quiet && !cl.json && ::isatty(STDERR_FILENO);
  const auto t0 = std::chrono::steady_clock::now();
  std::map<pid_t, size_t> running;
  size_t next = 0, done = 0;
  uint64_t bytes = 0;
  bool interrupted = false;
  while ((!interrupted && next < todo.size()) || !running.empty()) {
    if (cancel.load() && !interrupted) {
      interrupted = true;  // no more starts; the running ones are told to stop
      for (const auto& [p, i] : running) ::kill(p, SIGINT);
      continue;
    }
    while (!interrupted && next < todo.size() && running.size() < jobs) {
      auto pid = start(cl, scratch, next, todo[next]);
      if (!pid) return report_error(Error::from_errno(ErrorCode::Io, "starting a verification", errno));
      running[*pid] = next++;
    }
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);  // a signal (Ctrl-C) ends the wait: seen at the top
    if (pid <= 0) continue;
    auto it = running.find(pid);
    if (it == running.end()) continue;
    Running& r = todo[it->second];
    running.erase(it);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : k_exit_incomplete;
    const std::string doc = read_all(r.out, 64 << 20);
    std::string err = read_all(r.err, 4096);
    if (!WIFEXITED(status)) err = "verify was ended by signal " + std::to_string(WTERMSIG(status));
    ::unlink(r.out.c_str());
    ::unlink(r.err.c_str());
    if (interrupted && code == k_exit_incomplete) continue;  // stopped, not a result
    const bool has_report = !r.report.empty() && ::access(r.report.c_str(), F_OK) == 0;
    const std::string line = batch_result_line(r.state, doc, code, r.started, std::time(nullptr),
                                               has_report ? r.report : "", err);
    if (!cl.results.empty()) {
      if (auto st = append_batch_result(cl.results, line); !st) return report_error(st.error());
    }
    ++done;
    bytes += r.state.size;
    failed += code != 0;
    worst = worse_exit_code(worst, code);
    if (progress) std::fputs("\r\033[K", stderr);
    if (cl.json) {
      std::printf("%s\n", line.c_str());
    } else {
      const std::string reason = batch_result_reason(line);
      const std::string why = reason.empty() ? "" : "  (" + reason + ")";
      std::printf("%-9s %s%s\n", verdict_word(code), sanitize_for_terminal(r.image).c_str(),
                  sanitize_for_terminal(why).c_str());
    }
    std::fflush(stdout);
    show_progress(progress, done, todo.size(), failed, bytes, total_bytes,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  ::rmdir(scratch.c_str());
  if (progress) std::fputs("\r\033[K", stderr);
  if (interrupted) {
    std::fprintf(stderr,
                 "exhibit: interrupted: %zu of %zu images verified; run again with the same --results to go on\n",
                 done + skipped, images->size());
    return k_exit_incomplete;
  }
  if (!cl.json) {
    std::printf("batch: %zu images, %zu verified now, %zu from earlier results, %zu not passed%s\n", images->size(),
                done, skipped, failed,
                cl.results.empty() ? "" : ("; results in " + sanitize_for_terminal(cl.results)).c_str());
  }
  return worst;
}

}  // namespace exhibit::cli
