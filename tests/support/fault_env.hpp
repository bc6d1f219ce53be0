// An Env (src/io/env.hpp) over the real file system that fails chosen calls: the Nth write,
// sync or rename (of the paths containing a given text) with EIO, ENOSPC or any errno, as a
// failing disk, a full one or a lost connection would. It counts every call, and can run a clock
// that jumps ahead at each reading, so that the job saves its state after every block.
#pragma once

#include <cerrno>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "io/env.hpp"

namespace exhibit::test {

enum class FaultOp {
  Open,        // Env::open, and create_temporary (the path: the name the temporary file is for)
  Write,       // WritableFile::append and write_at
  SyncData,    // WritableFile::sync_data (fdatasync: the writers' checkpoints)
  Sync,        // WritableFile::sync and Env::sync_file (fsync: a file's last sync)
  Truncate,    // WritableFile::truncate
  Close,       // WritableFile::close
  Rename,      // Env::rename (the path is the name renamed from)
  Remove,      // Env::remove
  SyncFolder,  // Env::sync_folder
};

struct Fault {
  FaultOp op = FaultOp::Write;
  unsigned nth = 1;           // the nth call of `op` on a matching path fails (1: the first)
  int error = EIO;            // the errno it fails with
  std::string path_contains;  // only calls on paths containing this ("": every path)
  bool persistent = false;    // every later matching call fails too (a disk that stays full)
};

struct FaultCall {
  FaultOp op;
  std::string path;
  int error;  // 0: passed on to the real file system
};

class FaultEnv : public io::Env {
 public:
  explicit FaultEnv(io::Env& real = io::posix_env()) : m_real(real) {}

  void add(const Fault& f);
  // The calls of `op` so far on paths containing `text`, and how many of them were failed.
  unsigned count(FaultOp op, const std::string& text = "") const;
  unsigned failed(FaultOp op, const std::string& text = "") const;
  std::vector<FaultCall> calls() const;
  // From now on every now() is `step` later than the one before (the job's periodic saves then
  // happen at every chance, whatever the speed of the machine).
  void advance_clock_by(std::chrono::milliseconds step);
  std::chrono::steady_clock::time_point now() override;

  // The errno to fail this call with (0: none), the call being counted. For the files it opened.
  int decide(FaultOp op, const std::string& path);

 protected:
  int do_open(const std::string& path, io::OpenMode mode, std::unique_ptr<io::WritableFile>& out) override;
  int do_create_temporary(const std::string& path, std::unique_ptr<io::WritableFile>& out) override;
  int do_rename(const std::string& from, const std::string& to) override;
  int do_remove(const std::string& path) override;
  int do_sync_file(const std::string& path) override;
  int do_sync_folder(const std::string& folder) override;

 private:
  struct Rule {
    Fault fault;
    unsigned seen = 0;
  };
  io::Env& m_real;
  mutable std::mutex m_mutex;
  std::vector<Rule> m_rules;
  std::vector<FaultCall> m_calls;
  std::chrono::milliseconds m_step{0};
  std::chrono::steady_clock::time_point m_clock;
};

// The errno of a failed Status (EIO if it carries none); 0 for success.
int errno_of(const Status& s);

}  // namespace exhibit::test
