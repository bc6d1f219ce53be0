// The plain-text acquisition log BASE.log: written line by line as the work goes, each line
// handed to the kernel at once, synced to disk at milestones, so it survives a crash.
#pragma once

#include <string>
#include <vector>

#include "exhibit/error.hpp"
#include "exhibit/source_info.hpp"
#include "io/env.hpp"

namespace exhibit::core {

class AcquisitionLog {
 public:
  // Creates the log; fails if it exists unless `replace`. It and every copy added are written through `env`.
  static Result<AcquisitionLog> create(const std::string& path, bool replace, io::Env& env = io::posix_env());
  // Opens an existing log to go on writing at its end (acquire --resume).
  static Result<AcquisitionLog> append(const std::string& path, io::Env& env = io::posix_env());

  // "YYYY-MM-DDTHH:MM:SSZ  text"
  void line(const std::string& text);
  // "  key: value" (value made terminal-safe)
  void field(const std::string& key, const std::string& value);
  void sync();
  // The standard sections: what the source is, and what the write-block did and saw.
  void source_section(const SourceInfo& s);
  void write_block_section(const WriteBlockRecord& wb, bool remote = false);
  void remote_section(const RemoteSource& r);
  const std::string& path() const { return m_path; }
  // Every line from now on also goes to this log (of a second copy of the image), created as by
  // create(path, replace), or opened as by append(path) when `append`.
  Status add_copy(const std::string& path, bool replace, bool append = false);

 private:
  AcquisitionLog(std::unique_ptr<io::WritableFile> file, io::Env& env) : m_env(&env), m_path(file->path()) {
    m_files.push_back(std::move(file));
  }
  void write_raw(const std::string& text);

  io::Env* m_env;
  std::vector<std::unique_ptr<io::WritableFile>> m_files;
  std::string m_path;
};

}  // namespace exhibit::core
