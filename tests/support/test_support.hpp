// Helpers for tests that use real parts: commands, scratch folders, loop devices, nbdkit rigs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exhibit/sector_range.hpp"

namespace exhibit::test {

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

// Runs `command` with /bin/sh, capturing stdout and stderr.
CommandResult run(const std::string& command);
// Quotes one argument for the shell.
std::string sh_quote(const std::string& s);
// A shell snippet that waits until `file` exists and holds `text` ("" : exists, not empty), polling
// ten times a second for at most two minutes: put before `kill` so that a signal lands at a point
// of the run, not after a guessed time.
std::string wait_for_text(const std::string& file, const std::string& text = "");
// Shell text: waits (up to 3 minutes, for slow sanitizer builds) until the E01 resume state
// `state` says at least `chunks` chunks are safely written: a point in the stream, not a time.
std::string wait_for_chunks(const std::string& state, uint64_t chunks);
// Shell text for a run started with `EXHIBIT_PAUSE_POINT=POINT ... & pid=$!`: waits until the
// process $pid stopped itself at its pause point (core/test_points.hpp; up to 3 minutes, or
// until it exits), runs `act` (a signal, a change of the source) and continues it (SIGCONT).
std::string at_pause_point(const std::string& act);
// The environment assignment that stops a run at its pause point `point`.
std::string pause_at(const std::string& point);
// Path of the built exhibit binary (set by CMake).
std::string exhibit_bin();
// The shared interop folder (../shared/interop beside the repository), or "" if absent.
std::string interop_dir();
// The shared schemas folder (../shared/schemas beside the repository: DFXML, CASE/UCO), or "" if absent.
std::string schemas_dir();
// True if the machine has what loop-device tests need (root, /dev/loop-control, losetup).
bool have_loop_devices();
bool have_nbd_rig();  // nbdkit, nbdfuse, /dev/fuse
bool have_tool(const std::string& name);

// A fresh scratch folder under the build tree's test scratch area; removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return m_path; }
  std::string operator/(const std::string& name) const { return m_path + "/" + name; }

 private:
  std::string m_path;
};

// Digest of a file or device by the coreutils tool `tool` (md5sum, sha1sum, sha256sum).
std::string digest_of(const std::string& tool, const std::string& path);

void write_file(const std::string& path, const std::string& bytes);
std::string read_file(const std::string& path);
// Replaces the byte at `offset` of an existing file with its complement, so it always changes
// (writing a fixed byte leaves the file as it was once in 256 times). False if it cannot.
bool change_byte(const std::string& path, uint64_t offset);
// `size` bytes of deterministic pseudo-random data from `seed`.
std::string random_bytes(size_t size, uint32_t seed);

// An ext4 file system image of `size_mib` MiB made by mkfs.ext4 -d from `files`
// (name -> content); unused space is zeros.
void make_ext4(const std::string& image, int size_mib, const std::vector<std::pair<std::string, std::string>>& files,
               const std::string& scratch);

// A loop device over a file, detached on destruction (exactly the device attached).
class LoopDevice {
 public:
  // `partitions`: the kernel scans its partition table (losetup -P: PATH p1, p2 ...).
  LoopDevice(const std::string& file, bool read_only, unsigned sector_size = 512, bool direct_io = false,
             bool partitions = false);
  ~LoopDevice();
  LoopDevice(const LoopDevice&) = delete;
  LoopDevice& operator=(const LoopDevice&) = delete;
  const std::string& path() const { return m_path; }
  bool ok() const { return !m_path.empty(); }

 private:
  std::string m_path;
};

// `mount ARGS MOUNT_POINT`, unmounted on destruction; ok() false if mount failed.
class ScopedMount {
 public:
  ScopedMount(const std::string& args, const std::string& mount_point);
  ~ScopedMount();
  ScopedMount(const ScopedMount&) = delete;
  ScopedMount& operator=(const ScopedMount&) = delete;
  bool ok() const { return m_ok; }

 private:
  std::string m_mount_point;
  bool m_ok = false;
};

// A FUSE file served by nbdkit via nbdfuse, unmounted on destruction: either `nbdkit -s
// NBDKIT_ARGS` ("null size=16T"), or nbdkit's file plugin over `source_file` through `filters`
// ("--filter=ddrescue", outermost first) with their `parameters` ("ddrescue-mapfile=M").
class NbdDisk {
 public:
  NbdDisk(const std::string& nbdkit_args, const std::string& scratch);
  NbdDisk(const std::string& source_file, const std::string& filters, const std::string& parameters,
          const std::string& scratch);
  ~NbdDisk();
  NbdDisk(const NbdDisk&) = delete;
  NbdDisk& operator=(const NbdDisk&) = delete;
  const std::string& file() const { return m_file; }
  bool ok() const { return !m_file.empty(); }

 private:
  std::string m_mount;
  std::string m_file;
};

// nbdkit serving `source_file` read-only through `filters` with their `parameters`, as a server on
// a Unix socket, and nbdfuse reading it over `connections` NBD connections (nbdkit's file plugin
// allows several on a read-only export), so that requests made at the same time overlap at nbdkit
// (over one connection nbdfuse passes them one by one). Stopped and unmounted on destruction.
class ServedNbdDisk {
 public:
  ServedNbdDisk(const std::string& source_file, const std::string& filters, const std::string& parameters,
                const std::string& scratch, unsigned connections);
  ~ServedNbdDisk();
  ServedNbdDisk(const ServedNbdDisk&) = delete;
  ServedNbdDisk& operator=(const ServedNbdDisk&) = delete;
  const std::string& file() const { return m_file; }
  bool ok() const { return !m_file.empty(); }

 private:
  std::string m_mount;
  std::string m_pid_file;
  std::string m_file;
};

// From nbdkit's log filter (`logfile=`): the reads nbdkit had in flight when each read request
// started (that one included), averaged over the requests; the events in the order nbdkit logged
// them, no times.
double mean_reads_in_flight(const std::string& log_text);

// An NbdDisk whose reads of the '-' areas of the GNU ddrescue map `map_text` fail with EIO;
// with `rate` (nbdkit rate filter, bits per second: "80M") it also reads slowly.
class BadSectorDisk : public NbdDisk {
 public:
  BadSectorDisk(const std::string& source_file, const std::string& map_text, const std::string& scratch,
                const std::string& rate = "");
};

// A GNU ddrescue mapfile covering `size` bytes whose `bad` 512-byte sector ranges are '-'.
std::string ddrescue_map(uint64_t size, const std::vector<SectorRange>& bad);

}  // namespace exhibit::test
