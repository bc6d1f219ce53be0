// acquire --verify: the image read again in the same run, and (--verify=source) the source too.
// What changes between the writing and the re-read is changed by the test at a pause point
// (acquire:verify, core/test_points.hpp), never by exhibit, and never by racing the run.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "oracles.hpp"
#include "test_support.hpp"

using namespace exhibit::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Runs `args` held at acquire:verify while `act` runs; "exit=N" ends the output.
CommandResult acquire_changed_before_verify(const std::string& args, const std::string& act) {
  return run(pause_at("acquire:verify") + sh_quote(exhibit_bin()) + " acquire -q " + args + " & pid=$!; " +
             at_pause_point(act) + "wait $pid; echo \"exit=$?\"");
}

}  // namespace

TEST(AcquireVerify, AByteOfTheImageChangedBeforeTheReReadFailsNamingTheChunk) {
  TempDir tmp;
  const std::string data = random_bytes(4 << 20, 91);  // random: every chunk stored as read, with its checksum
  write_file(tmp / "src.bin", data);
  const std::string base = tmp / "x";
  // While the run is held the image is closed under its temporary name; the test changes one
  // byte in its middle, where chunk data lies.
  const std::string segment = base + ".incomplete.E01";
  const std::string act =
      "python3 -c 'import sys; f=open(sys.argv[1], \"r+b\"); f.seek(int(sys.argv[2])); "
      "b=f.read(1); f.seek(int(sys.argv[2])); f.write(bytes([b[0] ^ 0x5a]))' " +
      sh_quote(segment) + " $(( $(stat -c %s " + sh_quote(segment) + ") / 2 ))";
  auto r = acquire_changed_before_verify(sh_quote(tmp / "src.bin") + " -o " + sh_quote(base) + " --verify", act);
  ASSERT_NE(r.out.find("exit=1"), std::string::npos) << r.out << r.err;
  // Which chunk holds that byte, found apart from exhibit: the image's bytes around it (changed
  // back) are source bytes, stored as read; where they lie in the source gives the chunk.
  std::string image = read_file(base + ".E01");
  const size_t changed = image.size() / 2;
  image[changed] = static_cast<char>(image[changed] ^ 0x5a);
  const size_t at = data.find(image.substr(changed - 16, 32));
  ASSERT_NE(at, std::string::npos) << "the changed byte is not in chunk data";
  const uint64_t chunk = (at + 16) / (64 * 512);
  EXPECT_NE(r.out.find("BAD CHUNK"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("chunk " + std::to_string(chunk) + ": sectors " + std::to_string(chunk * 64) + "-"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("NO: the verification FAILED"), std::string::npos) << r.out;
  // The image keeps its name and its record says what the re-read found.
  const json record = json::parse(read_file(base + ".manifest.json"));
  EXPECT_EQ(record["verification"]["verdict"], "failed");
  EXPECT_EQ(record["verification"]["copies"][0]["bad_chunks"][0]["first_sector"], chunk * 64);
  EXPECT_NE(read_file(base + ".report.html").find("VERIFICATION FAILED"), std::string::npos);
  // ewfverify agrees that the image is damaged.
  EXPECT_EQ(run("ewfverify -q " + sh_quote(base + ".E01")).out.find("ewfverify: SUCCESS"), std::string::npos);
}

TEST(AcquireVerify, ASourceChangedBeforeItsReReadNamesTheSectors) {
  TempDir tmp;
  write_file(tmp / "src.bin", random_bytes(3 << 20, 92));
  const std::string base = tmp / "y";
  // The scratch source (a regular file) changed by the test between the two reads: sector 3000.
  const std::string act = "printf 'changed' | dd of=" + sh_quote(tmp / "src.bin") +
                          " bs=1 seek=$((3000 * 512 + 9)) conv=notrunc status=none";
  auto r = acquire_changed_before_verify(
      "--json " + sh_quote(tmp / "src.bin") + " -o " + sh_quote(base) + " --verify=source", act);
  ASSERT_NE(r.out.find("exit=1"), std::string::npos) << r.out << r.err;
  const std::string document = r.out.substr(0, r.out.rfind("exit="));
  if (have_jsonschema()) {
    EXPECT_EQ(output_schema_errors(document, tmp.path()), "");
  }
  EXPECT_EQ(json::parse(document)["exit_code"], 1);
  EXPECT_EQ(json::parse(document)["verification"]["copies"][0]["source"]["differences"][0]["first_sector"], 3000);
  const json record = json::parse(read_file(base + ".manifest.json"));
  const json& v = record["verification"];
  EXPECT_EQ(v["requested"], "image and source");
  EXPECT_EQ(v["verdict"], "failed");
  EXPECT_EQ(v["copies"][0]["source"]["differences"], json::parse(R"([{"first_sector":3000,"sector_count":1}])"));
  EXPECT_TRUE(v["copies"][0]["bad_chunks"].empty()) << "the image itself is whole";
  const std::string log = read_file(base + ".log");
  EXPECT_NE(log.find("SOURCE DIFFERS: sectors 3000-3000 (bytes 1536000-1536511)"), std::string::npos) << log;
  // The image is still what was read: ewfverify passes it.
  EXPECT_NE(run("ewfverify -q " + sh_quote(base + ".E01")).out.find("ewfverify: SUCCESS"), std::string::npos);
}
