// Verifying a list of images on many machines: tools/slurm-verify as a Slurm job array on a
// one-node cluster of the test's own (munged, slurmctld, slurmd), and tools/parallel-verify with
// GNU parallel, killed part-way and run again. Each image gets one result with the verdict it
// deserves, in results files no two writers share.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;

namespace {

const std::string k_tools = std::string(EXHIBIT_SOURCE_DIR) + "/tools/";

// 22 image sets of up to 3 MiB under tmp/evidence, four of them damaged, each its own way; the
// list file tmp/images.list names each by its first file. Returns first file -> exit code.
std::map<std::string, int> make_images(const TempDir& tmp) {
  std::map<std::string, int> expected;
  const std::string ev = tmp / "evidence";
  for (int i = 0; i < 22; ++i) {
    const bool big = i >= 16;  // 3 MiB: three 1 MiB segments, or zst frames to cut
    write_file(tmp / "src", random_bytes(big ? 3 << 20 : (200 + 40 * i) << 10, 500 + i));
    const std::string base = ev + "/case" + std::to_string(i % 4) + "/disk" + std::to_string(i);
    const int kind = i % 4;  // E01, E01 in 1 MiB segments, raw, zst
    const char* options[] = {"", "-S 1MiB", "--format raw", "--format zst"};
    auto r = run(sh_quote(exhibit_bin()) + " acquire " + sh_quote(tmp / "src") + " -o " + sh_quote(base) + " -q " +
                 options[kind]);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    expected[base + (kind == 2 ? ".001" : kind == 3 ? ".zst" : ".E01")] = 0;
  }
  // Damaged: a byte of a chunk (E01), a missing middle segment, a truncated zst, a raw byte (a
  // piece of the record differs).
  EXPECT_TRUE(change_byte(ev + "/case0/disk16.E01", 40000));
  fs::remove(ev + "/case1/disk17.E02");
  fs::resize_file(ev + "/case3/disk19.zst", fs::file_size(ev + "/case3/disk19.zst") - 5000);
  EXPECT_TRUE(change_byte(ev + "/case2/disk18.001", 1000000));
  for (const char* bad : {"/case0/disk16.E01", "/case1/disk17.E01", "/case3/disk19.zst", "/case2/disk18.001"}) {
    expected[ev + bad] = 1;
  }
  // The list, as a lab makes it: exhibit's own discovery (each set once, by its first file).
  auto listed = run(sh_quote(exhibit_bin()) + " verify --list " + sh_quote(ev));
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  std::string list;
  for (const auto& [path, code] : expected) list += path + "\n";
  EXPECT_EQ(listed.out, list);
  write_file(tmp / "images.list", listed.out);
  return expected;
}

// Every result line of the results files `files` (shell words): first file -> the exit codes of its lines.
std::map<std::string, std::vector<int>> results_in(const std::string& files) {
  auto r = run("cat " + files + " | jq -R -r 'fromjson? | [.batch.path, .exit_code] | @tsv'");
  std::map<std::string, std::vector<int>> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.rfind('\t');
    if (tab != std::string::npos) out[line.substr(0, tab)].push_back(std::stoi(line.substr(tab + 1)));
  }
  return out;
}

// Each image of `expected` has exactly one result line in `dir`, with its exit code; and
// `exhibit report DIR` says the same: each image once, its verdict, no earlier result, no line
// it could not use.
void expect_one_result_each(const std::string& dir, const std::map<std::string, int>& expected) {
  std::map<std::string, std::vector<int>> want;
  for (const auto& [path, code] : expected) want[path] = {code};
  EXPECT_EQ(results_in(sh_quote(dir) + "/*.jsonl"), want);

  auto r = run(sh_quote(exhibit_bin()) + " report --json " + sh_quote(dir) +
               " | jq -r '(.counts | \"\\(.images) \\(.verified) \\(.failed) \\(.not_done)\"), "
               "([.inputs[].unreadable_lines[]] | length), "
               "(.images | sort_by(.path)[] | \"\\(.path)\\t\\(.verdict) \\(.earlier_results)\")'");
  size_t failed = 0;
  std::string lines;
  for (const auto& [path, code] : expected) {
    failed += code != 0;
    lines += path + "\t" + (code == 0 ? "verified" : "failed") + " 0\n";
  }
  std::istringstream in(r.out);
  std::string counts, unreadable;
  std::getline(in, counts);
  std::getline(in, unreadable);
  EXPECT_EQ(counts, std::to_string(expected.size()) + " " + std::to_string(expected.size() - failed) + " " +
                        std::to_string(failed) + " 0")
      << r.out << r.err;
  EXPECT_EQ(unreadable, "0");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), lines);
}

size_t result_lines(const std::string& dir) {
  return std::stoul(run("cat " + sh_quote(dir) + "/*.jsonl 2>/dev/null | wc -l").out);
}

// Two TCP ports free now on every address (bound to port 0, then released): the test cluster's
// own, so that it never talks to another cluster running on this machine, nor clashes with one.
std::vector<int> free_ports(size_t n) {
  std::vector<int> fds, ports;
  for (size_t i = 0; i < n; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      ports.push_back(0);
    } else {
      ports.push_back(ntohs(a.sin_port));
    }
    fds.push_back(fd);
  }
  for (int fd : fds) ::close(fd);
  return ports;
}

bool alive(pid_t pid) { return ::kill(pid, 0) == 0; }

// A one-node Slurm cluster in a scratch folder (docs: ../shared/design/TESTING.md): munged on its
// own socket, slurmctld and slurmd on free ports, every file of theirs in the folder. The
// destructor cancels its jobs and stops the three daemons by their pids, whatever the test did.
class TestCluster {
 public:
  explicit TestCluster(std::string dir) : m_dir(std::move(dir)) {}
  ~TestCluster() { stop(); }
  TestCluster(const TestCluster&) = delete;
  TestCluster& operator=(const TestCluster&) = delete;

  // "" once the node is idle; else what went wrong, with the daemons' logs.
  std::string start() {
    fs::create_directories(m_dir + "/state");
    fs::create_directories(m_dir + "/spool");
    const std::string socket = m_dir + "/munge.socket";
    auto r = run("munged --force --socket=" + sh_quote(socket) +
                 " --key-file=/etc/munge/munge.key --pid-file=" + sh_quote(m_dir + "/munged.pid") +
                 " --log-file=" + sh_quote(m_dir + "/munged.log") + " --seed-file=" + sh_quote(m_dir + "/munged.seed"));
    if (r.exit_code != 0 || !started("munged")) return "munged did not start: " + r.err + logs();
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    const std::string node = std::string(host).substr(0, std::string(host).find('.'));
    const auto ports = free_ports(2);
    std::ostringstream conf;
    conf << "ClusterName=exhibittest\nSlurmctldHost=" << node << "(127.0.0.1)\nSlurmctldPort=" << ports[0]
         << "\nSlurmdPort=" << ports[1] << "\nAuthType=auth/munge\nCredType=cred/munge\nAuthInfo=socket=" << socket
         << "\nSlurmUser=root\nSlurmdUser=root\nStateSaveLocation=" << m_dir << "/state\nSlurmdSpoolDir=" << m_dir
         << "/spool\nSlurmctldPidFile=" << m_dir << "/slurmctld.pid\nSlurmdPidFile=" << m_dir
         << "/slurmd.pid\nSlurmctldLogFile=" << m_dir << "/slurmctld.log\nSlurmdLogFile=" << m_dir
         << "/slurmd.log\nProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\nSelectType=select/cons_tres\n"
            "SelectTypeParameters=CR_Core\nReturnToService=2\nJobAcctGatherType=jobacct_gather/none\n"
            "MpiDefault=none\nNodeName="
         << node << " NodeAddr=127.0.0.1 CPUs=" << std::thread::hardware_concurrency()
         << " State=UNKNOWN\n"
         // Up to four tasks share a core: the array's tasks run at once, not two by two a
         // scheduling cycle apart.
         << "PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4\n";
    write_file(m_dir + "/slurm.conf", conf.str());
    for (const std::string daemon : {"slurmctld", "slurmd"}) {
      r = run(daemon + " -f " + sh_quote(m_dir + "/slurm.conf"));
      if (r.exit_code != 0 || !started(daemon)) return daemon + " did not start: " + r.err + logs();
    }
    // The node is idle once slurmd has registered with slurmctld: polled, up to a minute.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (std::chrono::steady_clock::now() < deadline) {
      if (run(env() + "sinfo -h -o %t").out == "idle\n") return "";
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return "the node never became idle: " + run(env() + "sinfo").out + logs();
  }

  // The environment that points Slurm's commands at this cluster.
  std::string env() const { return "SLURM_CONF=" + sh_quote(m_dir + "/slurm.conf") + " "; }

 private:
  // Waits (up to 30 s) for the daemon's pid file, and keeps its pid.
  bool started(const std::string& daemon) {
    const std::string pid_file = m_dir + "/" + daemon + ".pid";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string text = fs::exists(pid_file) ? read_file(pid_file) : "";
      if (!text.empty() && text.back() == '\n' && std::stol(text) > 0) {
        m_pids.push_back(static_cast<pid_t>(std::stol(text)));
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::string logs() const { return "\n" + run("tail -n 20 " + sh_quote(m_dir) + "/*.log 2>&1").out; }

  void stop() {
    if (m_pids.size() == 3) run(env() + "scancel --quiet --user=root");  // no job step outlives the test
    for (auto it = m_pids.rbegin(); it != m_pids.rend(); ++it) {         // slurmd, slurmctld, munged
      ::kill(*it, SIGTERM);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (alive(*it) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (alive(*it)) ::kill(*it, SIGKILL);
    }
    m_pids.clear();
  }

  std::string m_dir;
  std::vector<pid_t> m_pids;  // in the order they started
};

}  // namespace

TEST(ClusterVerify, SlurmJobArrayOverTwentyImages) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (the test cluster's daemons run as root)";
  for (const char* tool : {"munged", "slurmctld", "slurmd", "sbatch", "sinfo", "squeue", "scontrol", "jq"}) {
    if (!have_tool(tool)) GTEST_SKIP() << "needs " << tool << " (packages slurm-wlm munge jq)";
  }
  if (!fs::exists("/etc/munge/munge.key")) GTEST_SKIP() << "needs /etc/munge/munge.key (package munge)";
  TempDir tmp;
  const auto expected = make_images(tmp);
  TestCluster cluster(tmp / "cluster");
  const std::string trouble = cluster.start();
  ASSERT_EQ(trouble, "");

  const std::string results = tmp / "results";
  const std::string command = cluster.env() + sh_quote(k_tools + "slurm-verify") + " --list " +
                              sh_quote(tmp / "images.list") + " --results-dir " + sh_quote(results) +
                              " --per-task 3 --exhibit " + sh_quote(exhibit_bin()) + " --wait -- --time=10";
  auto r = run(command);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // the worst of its images: a failed verification
  EXPECT_TRUE(!r.out.empty() && r.out.find_first_not_of("0123456789") == r.out.find('\n'))
      << "the job id first: " << r.out;
  expect_one_result_each(results, expected);
  // One results file per array task, holding the images of its slice and no other.
  const size_t tasks = (expected.size() + 2) / 3;
  for (size_t t = 0; t < tasks; ++t) {
    const std::string task = results + "/task-" + std::to_string(t);
    std::istringstream slice(read_file(task + ".list"));
    std::set<std::string> want, got;
    for (std::string line; std::getline(slice, line);) want.insert(line);
    for (const auto& [path, codes] : results_in(sh_quote(task + ".jsonl"))) got.insert(path);
    EXPECT_EQ(want.size(), t + 1 < tasks ? 3u : expected.size() - 3 * (tasks - 1)) << task;
    EXPECT_EQ(got, want) << task;
  }
  EXPECT_FALSE(fs::exists(results + "/task-" + std::to_string(tasks) + ".list"));

  // Submitted again over the same folder: every task finds its images in its file, none is
  // verified twice.
  r = run(command);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  expect_one_result_each(results, expected);
}

TEST(ClusterVerify, GnuParallelResumesFromItsJoblog) {
  if (!have_tool("parallel") || !have_tool("jq")) GTEST_SKIP() << "needs GNU parallel and jq";
  TempDir tmp;
  const auto expected = make_images(tmp);
  const std::string results = tmp / "results";
  const std::string command = sh_quote(k_tools + "parallel-verify") + " --list " + sh_quote(tmp / "images.list") +
                              " --results-dir " + sh_quote(results) + " --jobs 2 --exhibit " + sh_quote(exhibit_bin());
  // Killed (kill -9, every process of its session: parallel runs each job in a process group of
  // its own) once five results are written, then run again: only the rest is verified.
  auto killed =
      run("bash -c " + sh_quote("setsid " + command + " >/dev/null 2>&1 & pid=$!; while kill -0 $pid 2>/dev/null; do " +
                                "[ \"$(cat " + sh_quote(results) +
                                "/*.jsonl 2>/dev/null | wc -l)\" -ge 5 ] && break; sleep 0.05; done; " +
                                "kill -9 $(ps -o pid= -s $pid); wait $pid; echo exit=$?; " +
                                "while p=$(ps -o pid= -s $pid); do kill -9 $p; sleep 0.05; done"));
  const size_t before = result_lines(results);
  ASSERT_GE(before, 5u) << killed.out << killed.err;
  ASSERT_LT(before, expected.size()) << "finished before the kill: nothing left to resume";
  auto r = run(command);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  expect_one_result_each(results, expected);
  // The joblog holds each job once.
  auto seqs = run("tail -n +2 " + sh_quote(results + "/joblog") + " | cut -f1 | sort -n | uniq -d");
  EXPECT_EQ(seqs.out, "");

  // A result the joblog does not hold (parallel killed between the two; here a job of slot 2
  // taken out of the joblog) is not verified again: that one job would run in slot 1.
  std::string joblog = read_file(results + "/joblog");
  const size_t slot2 = joblog.rfind("/slot-2.jsonl");
  ASSERT_NE(slot2, std::string::npos) << joblog;
  const size_t start = joblog.rfind('\n', slot2) + 1;
  joblog.erase(start, joblog.find('\n', slot2) + 1 - start);
  write_file(results + "/joblog", joblog);
  r = run(command);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  expect_one_result_each(results, expected);
  // A job the joblog holds without a result (here: slot 1's results file lost) runs again.
  ASSERT_FALSE(read_file(results + "/slot-1.jsonl").empty());
  fs::remove(results + "/slot-1.jsonl");
  r = run(command);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  expect_one_result_each(results, expected);
}
