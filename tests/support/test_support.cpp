#include "test_support.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace exhibit::test {

namespace fs = std::filesystem;

std::string wait_for_text(const std::string& file, const std::string& text) {
  const std::string test = text.empty() ? "[ -s " + sh_quote(file) + " ]"
                                        : "grep -qF -- " + sh_quote(text) + " " + sh_quote(file) + " 2>/dev/null";
  return "i=0; until " + test + " || [ $i -ge 1200 ]; do sleep 0.1; i=$((i+1)); done; ";
}

std::string wait_for_chunks(const std::string& state, uint64_t chunks) {
  return "for i in $(seq 1 900); do sleep 0.2; c=$(grep -o '\"chunks\": [0-9]*' " + sh_quote(state) +
         " 2>/dev/null | grep -o '[0-9]*$'); [ \"${c:-0}\" -ge " + std::to_string(chunks) + " ] && break; done; ";
}

std::string at_pause_point(const std::string& act) {
  return "i=0; while [ -e /proc/$pid ] && [ \"$(cut -d' ' -f3 /proc/$pid/stat 2>/dev/null)\" != T ] && "
         "[ $i -lt 1800 ]; do sleep 0.1; i=$((i+1)); done; " +
         act + "; kill -CONT $pid; ";
}

std::string pause_at(const std::string& point) { return "EXHIBIT_PAUSE_POINT=" + sh_quote(point) + " "; }

std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

CommandResult run(const std::string& command) {
  static int counter = 0;
  std::string err_path = fs::temp_directory_path() /
                         ("exhibit-test-err-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  std::string full = "(" + command + ") 2>" + sh_quote(err_path);
  CommandResult r;
  FILE* p = popen(full.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("popen failed");
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.err = read_file(err_path);
  fs::remove(err_path);
  if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
    // The shell reports a child killed by a signal as 128+N.
    if (r.exit_code > 128 && r.exit_code < 160) r.signal = r.exit_code - 128;
  } else if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
  }
  return r;
}

std::string exhibit_bin() { return EXHIBIT_BIN; }

std::string interop_dir() {
  fs::path p = fs::path(EXHIBIT_SOURCE_DIR) / ".." / "shared" / "interop";
  return fs::exists(p / "README.md") ? fs::canonical(p).string() : std::string();
}

std::string schemas_dir() {
  fs::path p = fs::path(EXHIBIT_SOURCE_DIR) / ".." / "shared" / "schemas";
  return fs::exists(p / "README.md") ? fs::canonical(p).string() : std::string();
}

bool have_tool(const std::string& name) { return run("command -v " + name + " >/dev/null").exit_code == 0; }

bool have_loop_devices() { return geteuid() == 0 && fs::exists("/dev/loop-control") && have_tool("losetup"); }

bool have_nbd_rig() {
  return have_loop_devices() && fs::exists("/dev/fuse") && have_tool("nbdkit") && have_tool("nbdfuse") &&
         have_tool("fusermount3");
}

TempDir::TempDir() {
  fs::path root = fs::path(EXHIBIT_SCRATCH_DIR);
  fs::create_directories(root);
  std::string tmpl = (root / "t-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  m_path = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(m_path, ec);
}

std::string digest_of(const std::string& tool, const std::string& path) {
  auto r = run(tool + " " + sh_quote(path));
  if (r.exit_code != 0) return "(" + tool + " failed: " + r.err + ")";
  return r.out.substr(0, r.out.find(' '));
}

bool change_byte(const std::string& path, uint64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!f) return false;
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  if (!f.get(c)) return false;
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(~c));
  return static_cast<bool>(f.flush());
}

std::string random_bytes(size_t size, uint32_t seed) {
  std::mt19937 gen(seed);
  std::string out(size, '\0');
  for (size_t i = 0; i < size; i += 4) {
    const auto v = static_cast<uint32_t>(gen());  // mt19937 gives 32-bit values
    for (size_t k = 0; k < 4 && i + k < size; ++k) out[i + k] = static_cast<char>(v >> (8 * k));
  }
  return out;
}

void make_ext4(const std::string& image, int size_mib, const std::vector<std::pair<std::string, std::string>>& files,
               const std::string& scratch) {
  fs::path dir = fs::path(scratch) / "ext4-content";
  fs::create_directories(dir);
  for (const auto& [name, content] : files) {
    fs::create_directories((dir / name).parent_path());
    write_file((dir / name).string(), content);
  }
  auto r = run("truncate -s " + std::to_string(size_mib) + "M " + sh_quote(image) + " && mkfs.ext4 -q -F -d " +
               sh_quote(dir.string()) + " " + sh_quote(image));
  if (r.exit_code != 0) throw std::runtime_error("mkfs.ext4 failed: " + r.err);
}

LoopDevice::LoopDevice(const std::string& file, bool read_only, unsigned sector_size, bool direct_io, bool partitions) {
  std::string cmd = "losetup -f --show";
  if (partitions) cmd += " -P";
  if (read_only) cmd += " -r";
  if (sector_size != 512) cmd += " --sector-size " + std::to_string(sector_size);
  if (direct_io) cmd += " --direct-io=on";
  auto r = run(cmd + " " + sh_quote(file));
  if (r.exit_code == 0) {
    m_path = r.out.substr(0, r.out.find('\n'));
    // Some kernels here do not scan the table by themselves: partx adds the partitions (BLKPG).
    if (partitions && !fs::exists(m_path + "p1")) run("partx -a " + sh_quote(m_path) + " 2>/dev/null");
    run("udevadm settle 2>/dev/null || true");
  }
}

LoopDevice::~LoopDevice() {
  if (!m_path.empty()) run("losetup -d " + sh_quote(m_path));
}

ScopedMount::ScopedMount(const std::string& args, const std::string& mount_point) : m_mount_point(mount_point) {
  fs::create_directories(mount_point);
  m_ok = run("mount " + args + " " + sh_quote(mount_point)).exit_code == 0;
}

ScopedMount::~ScopedMount() {
  if (m_ok) run("umount " + sh_quote(m_mount_point));
}

NbdDisk::NbdDisk(const std::string& source_file, const std::string& filters, const std::string& parameters,
                 const std::string& scratch)
    : NbdDisk(filters + " file " + sh_quote(source_file) + " " + parameters, scratch) {}

namespace {

// Starts `command` (an nbdfuse that serves `mount`/disk) in the background; the disk's path once
// it appears (within 5 s), or "".
std::string start_nbdfuse(const std::string& command, const std::string& mount) {
  const std::string file = mount + "/disk";
  run(command + " >/dev/null 2>&1 &");
  for (int i = 0; i < 100; ++i) {
    if (fs::exists(file)) return file;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return "";
}

void unmount_fuse(const std::string& mount) {
  for (int i = 0; i < 50 && run("fusermount3 -u " + sh_quote(mount)).exit_code != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

NbdDisk::NbdDisk(const std::string& nbdkit_args, const std::string& scratch) {
  m_mount = scratch + "/nbd-mnt";
  fs::create_directories(m_mount);
  m_file = start_nbdfuse("nbdfuse " + sh_quote(m_mount + "/disk") + " --command nbdkit -s " + nbdkit_args, m_mount);
}

NbdDisk::~NbdDisk() {
  if (!m_mount.empty()) unmount_fuse(m_mount);
}

ServedNbdDisk::ServedNbdDisk(const std::string& source_file, const std::string& filters, const std::string& parameters,
                             const std::string& scratch, unsigned connections) {
  m_mount = scratch + "/nbd-served-mnt";
  m_pid_file = scratch + "/nbdkit.pid";
  const std::string socket = scratch + "/nbdkit.sock";
  fs::create_directories(m_mount);
  // nbdkit returns once it listens (it then runs in the background and writes its pid).
  if (run("nbdkit -r -U " + sh_quote(socket) + " -P " + sh_quote(m_pid_file) + " " + filters + " file " +
          sh_quote(source_file) + " " + parameters + " >/dev/null 2>&1")
          .exit_code != 0) {
    return;
  }
  m_file = start_nbdfuse("nbdfuse -r -C " + std::to_string(connections) + " " + sh_quote(m_mount + "/disk") +
                             " --unix " + sh_quote(socket),
                         m_mount);
}

ServedNbdDisk::~ServedNbdDisk() {
  if (!m_file.empty()) unmount_fuse(m_mount);
  if (fs::exists(m_pid_file)) run("kill $(cat " + sh_quote(m_pid_file) + ")");
}

double mean_reads_in_flight(const std::string& log_text) {
  // "... connection=N Read id=I offset=... count=... ..." starts a read; "... connection=N
  // ...Read id=I return=..." ends it.
  std::istringstream in(log_text);
  std::string line;
  long in_flight = 0;
  long starts = 0;
  long sum = 0;
  while (std::getline(in, line)) {
    if (line.find(" Read id=") != std::string::npos && line.size() >= 3 &&
        line.compare(line.size() - 3, 3, "...") == 0) {
      ++in_flight;
      ++starts;
      sum += in_flight;
    } else if (line.find(" ...Read id=") != std::string::npos) {
      --in_flight;
    }
  }
  return starts == 0 ? 0.0 : static_cast<double>(sum) / static_cast<double>(starts);
}

namespace {

std::string write_map(const std::string& map_text, const std::string& scratch) {
  std::string map = scratch + "/nbdkit-bad-sectors.map";
  write_file(map, map_text);
  return map;
}

}  // namespace

BadSectorDisk::BadSectorDisk(const std::string& source_file, const std::string& map_text, const std::string& scratch,
                             const std::string& rate)
    : NbdDisk(source_file, rate.empty() ? "--filter=ddrescue" : "--filter=ddrescue --filter=rate",
              "ddrescue-mapfile=" + sh_quote(write_map(map_text, scratch)) + (rate.empty() ? "" : " rate=" + rate),
              scratch) {}

std::string ddrescue_map(uint64_t size, const std::vector<SectorRange>& bad) {
  auto hex = [](uint64_t v) {
    char b[32];
    std::snprintf(b, sizeof b, "0x%08llX", static_cast<unsigned long long>(v));
    return std::string(b);
  };
  std::string map = "# test map\n0x00000000 +\n";
  uint64_t pos = 0;
  for (const auto& r : bad) {
    if (r.first * 512 > pos) map += hex(pos) + " " + hex(r.first * 512 - pos) + " +\n";
    map += hex(r.first * 512) + " " + hex(r.count * 512) + " -\n";
    pos = (r.first + r.count) * 512;
  }
  if (pos < size) map += hex(pos) + " " + hex(size - pos) + " +\n";
  return map;
}

}  // namespace exhibit::test
