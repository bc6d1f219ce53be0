// The write side of the file system as one interface (LevelDB's Env): every file exhibit writes
// (image segments, the record and the files beside it, resume state, log, map, exported media)
// is created, written, synced, renamed and removed through an Env. The POSIX one is what runs;
// tests hand a fault-injecting one to the job (JobHooks::env, tests/support/fault_env.hpp) that
// fails the Nth write, sync or rename with EIO or ENOSPC, so every failure path is tested without
// root or a full disk. Reading stays plain POSIX.
//
// The messages are made here, once, from the errno the implementation gives: every error is
// ErrorCode::Destination, "VERB PATH: strerror(errno)" with the errno kept (Error::sys_errno);
// the verb of each call is noted beside it. An implementation only answers with an errno value.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "exhibit/error.hpp"

namespace exhibit::io {

class WritableFile {
 public:
  WritableFile(const WritableFile&) = delete;
  WritableFile& operator=(const WritableFile&) = delete;
  virtual ~WritableFile() = default;  // a file never closed is closed here, its error unseen

  const std::string& path() const { return m_path; }
  // At the current position (the end, for a file opened to append), which moves past them: "writing".
  Status append(const void* data, size_t size);
  // At `offset`; the current position stays: "writing".
  Status write_at(uint64_t offset, const void* data, size_t size);
  Status sync_data();  // fdatasync: "syncing"
  Status sync();       // fsync: "syncing"
  // Cuts the file to `size` bytes and moves the current position there: "cutting back".
  Status truncate(uint64_t size);
  Result<uint64_t> size();  // "examining"
  Status close();           // "closing"; nothing may be called after it

 protected:
  explicit WritableFile(std::string path) : m_path(std::move(path)) {}
  // Each returns 0, or the errno value of the failure.
  virtual int do_append(const void* data, size_t size) = 0;
  virtual int do_write_at(uint64_t offset, const void* data, size_t size) = 0;
  virtual int do_sync_data() = 0;
  virtual int do_sync() = 0;
  virtual int do_truncate(uint64_t size) = 0;
  virtual int do_size(uint64_t& size) = 0;
  virtual int do_close() = 0;

 private:
  std::string m_path;
};

enum class OpenMode {
  New,       // created (mode 0644); fails with EEXIST when it exists: "creating". There is no
             // "created or emptied": a file exhibit writes is always one it made, never an
             // existing one written through whatever link lies at its name
  Existing,  // must exist; written from its start until truncate() moves the position: "opening"
  Append,    // must exist, and not be a symlink; every write goes to its end: "opening"
};

class Env {
 public:
  Env() = default;
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;
  virtual ~Env() = default;

  Result<std::unique_ptr<WritableFile>> open(const std::string& path, OpenMode mode);
  // A new file PATH.tmp.XXXXXX of a name no one has (as mkstemp makes it, mode 0644), to be
  // renamed to PATH once written: "creating a temporary file beside PATH".
  Result<std::unique_ptr<WritableFile>> create_temporary(const std::string& path);
  Status rename(const std::string& from, const std::string& to);  // "renaming FROM to TO"
  Status remove(const std::string& path);                         // "removing" (errno ENOENT when there was none)
  Status sync_file(const std::string& path);                      // fsync of an existing file: "syncing"
  // fsync of a folder, which makes a rename or removal in it durable: "syncing the folder".
  Status sync_folder(const std::string& folder);
  // The clock the job's periodic saves (state, map) go by: steady time.
  virtual std::chrono::steady_clock::time_point now();

 protected:
  // Each returns 0, or the errno value of the failure; `out` is set on success.
  virtual int do_open(const std::string& path, OpenMode mode, std::unique_ptr<WritableFile>& out) = 0;
  // The file is named PATH.tmp.XXXXXX (six characters chosen to make a new name).
  virtual int do_create_temporary(const std::string& path, std::unique_ptr<WritableFile>& out) = 0;
  virtual int do_rename(const std::string& from, const std::string& to) = 0;
  virtual int do_remove(const std::string& path) = 0;
  virtual int do_sync_file(const std::string& path) = 0;
  virtual int do_sync_folder(const std::string& folder) = 0;
};

// The real file system. One for the process; thread-safe.
Env& posix_env();
// Standard output as a file to append to ("standard output" in messages; not through an Env).
Result<std::unique_ptr<WritableFile>> standard_output();
// The folder holding `path`: "." for a bare name, "/" for a file at the root.
std::string folder_of(const std::string& path);

}  // namespace exhibit::io
