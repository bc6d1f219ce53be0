// The messages of every write-side call, made from the errno an implementation answers with.
#include "io/env.hpp"

#include <cerrno>

namespace exhibit::io {

namespace {

Status checked(int err, const std::string& context) {
  if (err == 0) return Ok{};
  return Error::from_errno(ErrorCode::Destination, context, err);
}

}  // namespace

Status WritableFile::append(const void* data, size_t size) {
  return checked(do_append(data, size), "writing " + m_path);
}

Status WritableFile::write_at(uint64_t offset, const void* data, size_t size) {
  return checked(do_write_at(offset, data, size), "writing " + m_path);
}

Status WritableFile::sync_data() { return checked(do_sync_data(), "syncing " + m_path); }

Status WritableFile::sync() { return checked(do_sync(), "syncing " + m_path); }

Status WritableFile::truncate(uint64_t size) { return checked(do_truncate(size), "cutting back " + m_path); }

Result<uint64_t> WritableFile::size() {
  uint64_t size = 0;
  EXHIBIT_CHECK(checked(do_size(size), "examining " + m_path));
  return size;
}

Status WritableFile::close() { return checked(do_close(), "closing " + m_path); }

Result<std::unique_ptr<WritableFile>> Env::open(const std::string& path, OpenMode mode) {
  std::unique_ptr<WritableFile> file;
  const bool creates = mode == OpenMode::New;
  EXHIBIT_CHECK(checked(do_open(path, mode, file), (creates ? "creating " : "opening ") + path));
  return file;
}

Result<std::unique_ptr<WritableFile>> Env::create_temporary(const std::string& path) {
  std::unique_ptr<WritableFile> file;
  EXHIBIT_CHECK(checked(do_create_temporary(path, file), "creating a temporary file beside " + path));
  return file;
}

Status Env::rename(const std::string& from, const std::string& to) {
  return checked(do_rename(from, to), "renaming " + from + " to " + to);
}

Status Env::remove(const std::string& path) { return checked(do_remove(path), "removing " + path); }

Status Env::sync_file(const std::string& path) { return checked(do_sync_file(path), "syncing " + path); }

Status Env::sync_folder(const std::string& folder) {
  return checked(do_sync_folder(folder), "syncing the folder " + folder);
}

std::chrono::steady_clock::time_point Env::now() { return std::chrono::steady_clock::now(); }

std::string folder_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace exhibit::io
