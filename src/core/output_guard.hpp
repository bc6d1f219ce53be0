// One guard for every path exhibit writes: segments, log, map, record, checksums, report,
// signature, timestamp request, resume state, second copies, `export -o`, `verify --report`.
// Every output is checked, by identity (device and inode after resolving symlinks, `.` and `..`,
// not by spelling), before anything is created. Refused, with the path and why:
//  - the source itself, a file behind it (a loop device's backing file), any file given as
//    protected (the files of the image being verified or exported);
//  - anything that is not a regular file (block and character devices, folders, FIFOs);
//  - a path on a file system that lives on the source device, on one of its partitions or on
//    anything built on them, or on a loop device over the source file (whatever --allow-mounted says);
//  - two outputs that are the same file;
//  - an existing file, unless `force` (which never makes the refusals above go away) or the output
//    is one the run continues (--resume).
#pragma once

#include <string>
#include <vector>

#include "exhibit/error.hpp"
#include "io/storage_chain.hpp"

namespace exhibit::core {

class OutputGuard {
 public:
  // The source of an acquisition (or of verify --source): never written, nor what lies on it.
  Status protect_source(const std::string& path);
  // A file that must not be written, named `what` in messages ("a file of the image being verified").
  void protect_file(const std::string& path, const std::string& what);
  // An output path; `may_exist`: an existing file is this run's own to continue (--resume);
  // `folder_made`: its folder is created if missing (an image's files), else a missing one is refused.
  void add_output(const std::string& path, bool may_exist = false, bool folder_made = false);
  // Every check, nothing created. InvalidArgument or AlreadyExists (both exit 2) naming the path.
  Status check(bool force) const;

 private:
  struct Protected {
    io::FileId id;
    std::string what;
  };
  struct Output {
    std::string path;
    bool may_exist = false;
    bool folder_made = false;
  };
  std::vector<Protected> m_files;
  std::vector<dev_t> m_devices;  // the source device's family (block device sources)
  std::string m_source;          // as given, for messages
  std::vector<Output> m_outputs;
};

// `output`, written beside the work on an image (verify --report, export -o): never one of the
// image's files (its segments and every file beside them) nor `source` (verify --source) or what lies on it.
Status check_image_output(const std::vector<std::string>& segments, const std::string& first_segment,
                          const std::string& output, const std::string& source, bool force, const std::string& what);

}  // namespace exhibit::core
