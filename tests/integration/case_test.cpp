// BASE.case.jsonld and info/verify --case: valid against the UCO/CASE SHACL shapes
// (../shared/schemas/case) with the npm validator in tests/support/shacl (tools/install-deps
// installs its modules), holding the acquisition as CASE says it: performer, instrument, object,
// results with their hashes; and the validator shown to fail where it should.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace exhibit::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string k_validator_dir = std::string(EXHIBIT_SOURCE_DIR) + "/tests/support/shacl";

// Why the SHACL validation cannot run here ("" when it can).
std::string shacl_missing() {
  if (!have_tool("node") || !have_tool("npm")) return "needs node and npm (tools/install-deps)";
  if (schemas_dir().empty() || !fs::exists(schemas_dir() + "/case")) return "needs ../shared/schemas/case";
  if (!fs::exists(k_validator_dir + "/node_modules/rdf-validate-shacl"))
    return "needs the validator's modules (tools/install-deps runs npm ci in tests/support/shacl)";
  return "";
}

CommandResult shacl(const std::string& graph) {
  return run("node " + sh_quote(k_validator_dir + "/validate.mjs") + " " + sh_quote(schemas_dir() + "/case") + " " +
             sh_quote(graph));
}

// The nodes of a graph by @id.
std::map<std::string, json> nodes_of(const json& doc) {
  std::map<std::string, json> out;
  for (const auto& n : doc.at("@graph")) out[n.at("@id").get<std::string>()] = n;
  return out;
}

const json& node(const std::map<std::string, json>& nodes, const json& ref) {
  return nodes.at(ref.at("@id").get<std::string>());
}

std::vector<json> actions_of(const json& doc) {
  std::vector<json> out;
  for (const auto& n : doc.at("@graph")) {
    if (n.at("@type") == "case-investigation:InvestigativeAction") out.push_back(n);
  }
  return out;
}

// A file's name, size and SHA-256 as the graph has them: {name, size, sha256}.
std::tuple<std::string, std::string, std::string> file_of(const std::map<std::string, json>& nodes, const json& f) {
  std::string name, size, sha;
  for (const auto& ref : f.at("uco-core:hasFacet")) {
    const json& facet = node(nodes, ref);
    if (facet.at("@type") == "uco-observable:FileFacet") {
      name = facet.at("uco-observable:fileName");
      size = facet.at("uco-observable:sizeInBytes").at("@value");
    }
    if (facet.at("@type") == "uco-observable:ContentDataFacet") {
      for (const auto& h : facet.at("uco-observable:hash")) {
        const json& hash = node(nodes, h);
        if (hash.at("uco-types:hashMethod") == "SHA256") sha = hash.at("uco-types:hashValue").at("@value");
        EXPECT_EQ(hash.at("uco-types:hashValue").at("@type"), "xsd:hexBinary");
      }
    }
  }
  return {name, size, sha};
}

// `exhibit COMMAND --case IMAGE`: exits `code`, and what it prints conforms (saved as `file`).
json printed_graph(const std::string& command, const std::string& image, const std::string& file, int code = 0) {
  auto out = run(sh_quote(exhibit_bin()) + " " + command + " --case " + sh_quote(image));
  EXPECT_EQ(out.exit_code, code) << command << out.err;
  write_file(file, out.out);
  auto v = shacl(file);
  EXPECT_EQ(v.exit_code, 0) << command << v.out << v.err;
  return json::parse(out.out);
}

// 1 MiB of a file acquired into TMP/NAME.E01; the image's base.
std::string acquired(const TempDir& tmp, const std::string& name, uint32_t seed) {
  const std::string source = tmp / (name + ".source");
  write_file(source, random_bytes(1 << 20, seed));
  const std::string base = tmp / name;
  auto r = run(sh_quote(exhibit_bin()) + " acquire -q " + sh_quote(source) + " -o " + sh_quote(base));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  return base;
}

const std::string k_examiner = "Eve \"<script>\" \x01 O'Brien";
const std::string k_examiner_back = "Eve \"<script>\" \xEF\xBF\xBD O'Brien";  // the control character as U+FFFD

}  // namespace

TEST(Case, AcquisitionGraphConformsAndHoldsTheActionItsToolSourceAndEveryFile) {
  if (const auto why = shacl_missing(); !why.empty()) GTEST_SKIP() << why;
  TempDir tmp;
  const std::string source = tmp / "source.bin";
  write_file(source, random_bytes(3 << 20, 9));
  const std::string base = tmp / "x";
  auto r = run(sh_quote(exhibit_bin()) + " acquire " + sh_quote(source) + " -o " + sh_quote(base) +
               " -q --format raw --segment-size 1MiB --examiner " + sh_quote(k_examiner));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string graph = base + ".case.jsonld";
  auto valid = shacl(graph);
  EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;

  const json doc = json::parse(read_file(graph));
  const json record = json::parse(read_file(base + ".manifest.json"));
  const auto nodes = nodes_of(doc);
  const auto actions = actions_of(doc);
  ASSERT_EQ(actions.size(), 1u);
  const json& a = actions[0];
  EXPECT_EQ(a.at("uco-action:startTime").at("@value"), record.at("started"));
  EXPECT_EQ(a.at("uco-action:endTime").at("@value"), record.at("finished"));
  EXPECT_EQ(a.at("uco-action:startTime").at("@type"), "xsd:dateTime");
  const json& performer = node(nodes, a.at("uco-action:performer"));
  EXPECT_EQ(performer.at("@type"), "uco-identity:Person");
  EXPECT_EQ(performer.at("uco-core:name"), k_examiner_back);
  const json& tool = node(nodes, a.at("uco-action:instrument"));
  EXPECT_EQ(tool.at("@type"), "uco-tool:Tool");
  EXPECT_EQ(tool.at("uco-core:name"), "exhibit");
  EXPECT_EQ(tool.at("uco-tool:version"), record.at("tool").at("version"));
  const json& src = node(nodes, a.at("uco-action:object").at(0));
  EXPECT_EQ(src.at("uco-core:name"), source);
  // Every segment file and the record, with their sizes and SHA-256 as they are on disk.
  std::vector<std::tuple<std::string, std::string, std::string>> want, got;
  for (const auto& s : record.at("image").at("segments")) {
    const std::string name = s.at("file");
    want.emplace_back(name, std::to_string(fs::file_size(tmp / name)), digest_of("sha256sum", tmp / name));
  }
  ASSERT_EQ(want.size(), 3u);
  want.emplace_back("x.manifest.json", std::to_string(fs::file_size(base + ".manifest.json")),
                    digest_of("sha256sum", base + ".manifest.json"));
  for (const auto& f : a.at("uco-action:result")) got.push_back(file_of(nodes, node(nodes, f)));
  EXPECT_EQ(got, want);

  // info --case says the same; verify --case adds the verification, informed by the acquisition.
  EXPECT_EQ(printed_graph("info", base + ".001", tmp / "info.jsonld"), doc);
  const json vdoc = printed_graph("verify", base + ".001", tmp / "verify.jsonld");
  const auto vactions = actions_of(vdoc);
  ASSERT_EQ(vactions.size(), 2u);
  EXPECT_EQ(vactions[1].at("uco-core:name"), "verification");
  EXPECT_EQ(vactions[1].at("uco-action:actionStatus"), "Success");
  EXPECT_EQ(vactions[1].at("case-investigation:wasInformedBy").at("@id"), a.at("@id"));
  EXPECT_EQ(vactions[1].at("uco-action:object"), a.at("uco-action:result"));
}

TEST(Case, ABlockDeviceIsADeviceWithItsModelAndSerial) {
  if (const auto why = shacl_missing(); !why.empty()) GTEST_SKIP() << why;
  TempDir tmp;
  const std::string base = acquired(tmp, "d", 3);
  // The record of a drive (no drive here answers with a serial): what info --case reads.
  json record = json::parse(read_file(base + ".manifest.json"));
  record["source"]["kind"] = "block device";
  record["source"]["path"] = "/dev/sdz";
  record["source"]["model"] = "WDC <WD10EZEX> & \"co\"";
  record["source"]["serial"] =
      "WD-\x7f"
      "123\x02";
  write_file(base + ".manifest.json", record.dump(2));
  const json doc = printed_graph("info", base + ".E01", tmp / "info.jsonld");
  const auto nodes = nodes_of(doc);
  const json& device = node(nodes, actions_of(doc).at(0).at("uco-action:object").at(0));
  EXPECT_EQ(device.at("@type"), "uco-observable:Device");
  EXPECT_EQ(device.at("uco-core:name"), "/dev/sdz");
  bool found = false;
  for (const auto& ref : device.at("uco-core:hasFacet")) {
    const json& facet = node(nodes, ref);
    if (facet.at("@type") != "uco-observable:DeviceFacet") continue;
    found = true;
    EXPECT_EQ(facet.at("uco-observable:model"), "WDC <WD10EZEX> & \"co\"");
    EXPECT_EQ(facet.at("uco-observable:serialNumber"),
              "WD-\x7f"
              "123\xEF\xBF\xBD");
  }
  EXPECT_TRUE(found) << doc.dump(2);
}

TEST(Case, TheValidatorReportsAGraphThatBreaksTheShapes) {
  if (const auto why = shacl_missing(); !why.empty()) GTEST_SKIP() << why;
  TempDir tmp;
  const std::string base = acquired(tmp, "n", 4);
  const json good = json::parse(read_file(base + ".case.jsonld"));
  auto first_hash = [](json& doc) -> json& {
    for (auto& n : doc.at("@graph")) {
      if (n.at("@type") == "uco-types:Hash") return n;
    }
    throw std::runtime_error("no hash");
  };
  struct Broken {
    const char* what;
    std::function<void(json&)> change;
    const char* reported;  // in the validator's report
  };
  const std::vector<Broken> cases = {
      {"a hash value that is not hex", [&](json& d) { first_hash(d)["uco-types:hashValue"]["@value"] = "not-hex"; },
       "hashValue"},
      {"a hash value typed as text", [&](json& d) { first_hash(d)["uco-types:hashValue"] = "00ff"; }, "hashValue"},
      {"a hash without its method", [&](json& d) { first_hash(d).erase("uco-types:hashMethod"); }, "hashMethod"},
      {"an action with two start times",
       [&](json& d) {
         for (auto& n : d.at("@graph")) {
           if (n.at("@type") == "case-investigation:InvestigativeAction") {
             n["uco-action:startTime"] = json::array(
                 {n["uco-action:startTime"], {{"@type", "xsd:dateTime"}, {"@value", "2020-01-01T00:00:00Z"}}});
           }
         }
       },
       "startTime"},
      {"a tool as a blank node",
       [&](json& d) {
         d.at("@graph").push_back({{"@type", "uco-tool:Tool"}, {"uco-core:name", "anonymous"}});
       },
       "blank nodes"},
  };
  for (const auto& c : cases) {
    json doc = good;
    c.change(doc);
    write_file(tmp / "broken.jsonld", doc.dump(2));
    auto r = shacl(tmp / "broken.jsonld");
    EXPECT_EQ(r.exit_code, 1) << c.what << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find(c.reported), std::string::npos) << c.what << "\n" << r.out;
  }
  write_file(tmp / "good.jsonld", good.dump(2));
  auto ok = shacl(tmp / "good.jsonld");
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
}
