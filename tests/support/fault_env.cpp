#include "fault_env.hpp"

namespace exhibit::test {

namespace {

// A file of the real file system whose every call is first put to the FaultEnv.
class FaultFile : public io::WritableFile {
 public:
  FaultFile(std::unique_ptr<io::WritableFile> real, FaultEnv& env)
      : io::WritableFile(real->path()), m_real(std::move(real)), m_env(env) {}

 protected:
  int do_append(const void* data, size_t size) override {
    return fail_or(FaultOp::Write, [&] { return m_real->append(data, size); });
  }
  int do_write_at(uint64_t offset, const void* data, size_t size) override {
    return fail_or(FaultOp::Write, [&] { return m_real->write_at(offset, data, size); });
  }
  int do_sync_data() override {
    return fail_or(FaultOp::SyncData, [&] { return m_real->sync_data(); });
  }
  int do_sync() override {
    return fail_or(FaultOp::Sync, [&] { return m_real->sync(); });
  }
  int do_truncate(uint64_t size) override {
    return fail_or(FaultOp::Truncate, [&] { return m_real->truncate(size); });
  }
  int do_size(uint64_t& size) override {
    auto s = m_real->size();
    if (!s) return errno_of(Status(s.error()));
    size = *s;
    return 0;
  }
  int do_close() override {
    return fail_or(FaultOp::Close, [&] { return m_real->close(); });
  }

 private:
  template <typename F>
  int fail_or(FaultOp op, F&& call) {
    if (const int e = m_env.decide(op, path()); e != 0) return e;
    return errno_of(call());
  }
  std::unique_ptr<io::WritableFile> m_real;
  FaultEnv& m_env;
};

}  // namespace

int errno_of(const Status& s) {
  if (s) return 0;
  return s.error().sys_errno() != 0 ? s.error().sys_errno() : EIO;
}

void FaultEnv::add(const Fault& f) {
  const std::lock_guard lock(m_mutex);
  m_rules.push_back({f, 0});
}

unsigned FaultEnv::count(FaultOp op, const std::string& text) const {
  const std::lock_guard lock(m_mutex);
  unsigned n = 0;
  for (const auto& c : m_calls) n += c.op == op && c.path.find(text) != std::string::npos ? 1 : 0;
  return n;
}

unsigned FaultEnv::failed(FaultOp op, const std::string& text) const {
  const std::lock_guard lock(m_mutex);
  unsigned n = 0;
  for (const auto& c : m_calls) n += c.op == op && c.error != 0 && c.path.find(text) != std::string::npos ? 1 : 0;
  return n;
}

std::vector<FaultCall> FaultEnv::calls() const {
  const std::lock_guard lock(m_mutex);
  return m_calls;
}

void FaultEnv::advance_clock_by(std::chrono::milliseconds step) {
  const std::lock_guard lock(m_mutex);
  if (m_step.count() == 0) m_clock = m_real.now();
  m_step = step;
}

std::chrono::steady_clock::time_point FaultEnv::now() {
  const std::lock_guard lock(m_mutex);
  if (m_step.count() == 0) return m_real.now();
  m_clock += m_step;
  return m_clock;
}

int FaultEnv::decide(FaultOp op, const std::string& path) {
  const std::lock_guard lock(m_mutex);
  int error = 0;
  for (auto& r : m_rules) {
    if (r.fault.op != op || path.find(r.fault.path_contains) == std::string::npos) continue;
    ++r.seen;
    if (error == 0 && (r.seen == r.fault.nth || (r.fault.persistent && r.seen > r.fault.nth))) error = r.fault.error;
  }
  m_calls.push_back({op, path, error});
  return error;
}

int FaultEnv::do_open(const std::string& path, io::OpenMode mode, std::unique_ptr<io::WritableFile>& out) {
  if (const int e = decide(FaultOp::Open, path); e != 0) return e;
  auto real = m_real.open(path, mode);
  if (!real) return errno_of(Status(real.error()));
  out = std::make_unique<FaultFile>(std::move(*real), *this);
  return 0;
}

int FaultEnv::do_create_temporary(const std::string& path, std::unique_ptr<io::WritableFile>& out) {
  if (const int e = decide(FaultOp::Open, path); e != 0) return e;
  auto real = m_real.create_temporary(path);
  if (!real) return errno_of(Status(real.error()));
  out = std::make_unique<FaultFile>(std::move(*real), *this);
  return 0;
}

int FaultEnv::do_rename(const std::string& from, const std::string& to) {
  if (const int e = decide(FaultOp::Rename, from); e != 0) return e;
  return errno_of(m_real.rename(from, to));
}

int FaultEnv::do_remove(const std::string& path) {
  if (const int e = decide(FaultOp::Remove, path); e != 0) return e;
  return errno_of(m_real.remove(path));
}

int FaultEnv::do_sync_file(const std::string& path) {
  if (const int e = decide(FaultOp::Sync, path); e != 0) return e;
  return errno_of(m_real.sync_file(path));
}

int FaultEnv::do_sync_folder(const std::string& folder) {
  if (const int e = decide(FaultOp::SyncFolder, folder); e != 0) return e;
  return errno_of(m_real.sync_folder(folder));
}

}  // namespace exhibit::test
