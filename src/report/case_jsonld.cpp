#include "report/case_jsonld.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

#include "exhibit/version.hpp"
#include "report/json_util.hpp"
#include "report/xml_text.hpp"
#include "util/text.hpp"

namespace exhibit::report {

namespace {

using nlohmann::ordered_json;

// exhibit's namespace for name-based UUIDs: 678e416b-bdbe-449e-a533-e6ce42bba3a4 (a random version 4
// UUID, fixed once).
constexpr std::array<unsigned char, 16> k_namespace = {0x67, 0x8e, 0x41, 0x6b, 0xbd, 0xbe, 0x44, 0x9e,
                                                       0xa5, 0x33, 0xe6, 0xce, 0x42, 0xbb, 0xa3, 0xa4};

constexpr const char* k_uco = "https://ontology.unifiedcyberontology.org/uco/";

// UCO's names for digests (vocabulary:HashNameVocab); "" for one it does not name.
std::string hash_method(const std::string& algorithm) {
  for (const char* name : {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"}) {
    if (algorithm == name) {
      std::string upper = name;
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return upper;
    }
  }
  if (algorithm.rfind("sha3-", 0) == 0) return "SHA3-" + algorithm.substr(5);
  return "";
}

ordered_json typed(const char* type, ordered_json value) { return {{"@type", type}, {"@value", std::move(value)}}; }
ordered_json id_ref(const std::string& id) { return {{"@id", id}}; }

// The graph's nodes, each named by what it is and the acquisition it belongs to.
class Graph {
 public:
  explicit Graph(std::string seed) : m_seed(std::move(seed)) {}
  std::string id(const std::string& kind, const std::string& which = "") const {
    return "kb:" + kind + "-" + name_uuid(m_seed + "/" + kind + "/" + which);
  }
  void add(ordered_json node) {
    for (const auto& n : m_nodes) {
      if (n["@id"] == node["@id"]) return;  // the same tool twice
    }
    m_nodes.push_back(std::move(node));
  }
  ordered_json take() { return std::move(m_nodes); }

 private:
  std::string m_seed;
  ordered_json m_nodes = ordered_json::array();
};

// A Hash node per digest UCO names, as the ContentDataFacet's hash list.
ordered_json hashes(Graph& g, const std::string& owner, const NamedValues& digests) {
  ordered_json list = ordered_json::array();
  for (const auto& [algorithm, hex] : digests) {
    const std::string method = hash_method(algorithm);
    if (method.empty() || hex.empty()) continue;
    const std::string id = g.id("hash", owner + "/" + algorithm);
    g.add({{"@id", id},
           {"@type", "uco-types:Hash"},
           {"uco-types:hashMethod", method},
           {"uco-types:hashValue", typed("xsd:hexBinary", hex)}});
    list.push_back(id_ref(id));
  }
  return list;
}

// A file of the set (a segment or the record) with its name, size and SHA-256.
std::string file_node(Graph& g, const ProvenanceFile& f) {
  const std::string id = g.id("file", f.name);
  const std::string file_facet = g.id("file-facet", f.name);
  g.add({{"@id", file_facet},
         {"@type", "uco-observable:FileFacet"},
         {"uco-observable:fileName", f.name},
         {"uco-observable:sizeInBytes", typed("xsd:integer", std::to_string(f.size))}});
  ordered_json facets = ordered_json::array({id_ref(file_facet)});
  const ordered_json list = hashes(g, "file/" + f.name,
                                   f.sha256.empty() ? NamedValues{} : NamedValues{{"sha256", f.sha256}});
  if (!list.empty()) {
    const std::string content = g.id("content-facet", f.name);
    g.add({{"@id", content},
           {"@type", "uco-observable:ContentDataFacet"},
           {"uco-observable:sizeInBytes", typed("xsd:integer", std::to_string(f.size))},
           {"uco-observable:hash", list}});
    facets.push_back(id_ref(content));
  }
  g.add({{"@id", id}, {"@type", "uco-observable:File"}, {"uco-core:name", f.name}, {"uco-core:hasFacet", facets}});
  return id;
}

// The program as a Tool (exhibit; for an image without our record, what its header names): its
// version, and the commit and libraries of its build.
std::string tool_node(Graph& g, const std::string& name, const std::string& version, const std::string& commit,
                      NamedValues libraries) {
  std::sort(libraries.begin(), libraries.end());  // the record has them by name; the build in its own order
  std::string which = name + "/" + version + "/" + commit;
  for (const auto& [library, v] : libraries) which += "/" + library + "=" + v;
  const std::string id = g.id("tool", which);
  ordered_json libs = ordered_json::array();
  for (const auto& [library, v] : libraries) {
    const std::string lib = g.id("library", which + "/" + library);
    g.add({{"@id", lib},
           {"@type", "uco-tool:LibraryType"},
           {"uco-tool:libraryName", library},
           {"uco-tool:libraryVersion", v}});
    libs.push_back(id_ref(lib));
  }
  const std::string build = g.id("build", which), facet = g.id("build-facet", which);
  ordered_json info = {{"@id", build}, {"@type", "uco-tool:BuildInformationType"}};
  if (!commit.empty()) info["uco-tool:buildVersion"] = commit;
  if (!libs.empty()) info["uco-tool:libraries"] = libs;
  g.add(std::move(info));
  g.add({{"@id", facet}, {"@type", "uco-tool:BuildFacet"}, {"uco-tool:buildInformation", id_ref(build)}});
  g.add({{"@id", id},
         {"@type", "uco-tool:Tool"},
         {"uco-core:name", name.empty() ? std::string("unknown") : name},
         {"uco-tool:toolType", "forensic imaging"},
         {"uco-tool:version", version},
         {"uco-core:hasFacet", ordered_json::array({id_ref(facet)})}});
  return id;
}

// The source: a Device (block devices) or a File, with its identity and, when the media holds
// exactly its bytes, their digests.
std::string source_node(Graph& g, const Provenance& p) {
  const bool device = p.source_kind != "file";
  const std::string id = g.id("source");
  ordered_json facets = ordered_json::array();
  if (device && !(p.model.empty() && p.serial.empty())) {
    const std::string facet = g.id("device-facet");
    ordered_json f = {{"@id", facet}, {"@type", "uco-observable:DeviceFacet"}};
    if (!p.model.empty()) f["uco-observable:model"] = p.model;
    if (!p.serial.empty()) f["uco-observable:serialNumber"] = p.serial;
    g.add(std::move(f));
    facets.push_back(id_ref(facet));
  }
  if (!device) {
    const std::string facet = g.id("source-file-facet");
    g.add({{"@id", facet},
           {"@type", "uco-observable:FileFacet"},
           {"uco-observable:filePath", p.source_path},
           {"uco-observable:sizeInBytes", typed("xsd:integer", std::to_string(p.source_size))}});
    facets.push_back(id_ref(facet));
  }
  if (p.media_size == p.source_size) {  // no padding: the media digests are the source's
    const ordered_json list = hashes(g, "source", p.media_digests);
    const std::string facet = g.id("source-content-facet");
    ordered_json f = {{"@id", facet},
                      {"@type", "uco-observable:ContentDataFacet"},
                      {"uco-observable:sizeInBytes", typed("xsd:integer", std::to_string(p.source_size))}};
    if (!list.empty()) f["uco-observable:hash"] = list;
    g.add(std::move(f));
    facets.push_back(id_ref(facet));
  }
  ordered_json node = {{"@id", id}, {"@type", device ? "uco-observable:Device" : "uco-observable:File"}};
  if (!p.source_path.empty()) node["uco-core:name"] = p.source_path;
  if (!facets.empty()) node["uco-core:hasFacet"] = facets;
  g.add(std::move(node));
  return id;
}

// Every string of the graph as a valid xsd:string (untrusted text: report/xml_text.hpp); dump_json
// then turns bytes that are not UTF-8 into U+FFFD too.
void to_xsd_strings(ordered_json& j) {
  if (j.is_string()) {
    j = xsd_string(j.get_ref<const std::string&>());
  } else if (j.is_structured()) {
    for (auto& v : j) to_xsd_strings(v);
  }
}

void times(ordered_json& action, const std::string& start, const std::string& end) {
  if (!start.empty()) action["uco-action:startTime"] = typed("xsd:dateTime", start);
  if (!end.empty()) action["uco-action:endTime"] = typed("xsd:dateTime", end);
}

}  // namespace

std::string name_uuid(const std::string& name) {
  std::string input(reinterpret_cast<const char*>(k_namespace.data()), k_namespace.size());
  input += name;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(input.data(), input.size(), md, &n, EVP_sha1(), nullptr);
  md[6] = static_cast<unsigned char>((md[6] & 0x0F) | 0x50);  // version 5
  md[8] = static_cast<unsigned char>((md[8] & 0x3F) | 0x80);  // RFC 4122 variant
  const std::string hex = util::to_hex(md, 16);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

std::string render_case_jsonld(const Provenance& p, const VerifyReport* verify, const DocumentRun* run) {
  // The record names the acquisition; an image without one, its digests and files.
  std::string seed = p.record ? p.record->sha256 : std::string();
  if (seed.empty()) {
    for (const auto& [a, hex] : p.media_digests) seed += a + "=" + hex + ";";
    for (const auto& f : p.segments) seed += f.name + ";";
  }
  Graph g(seed);
  const std::string tool = tool_node(g, p.tool_name, p.tool_version, p.tool_commit, p.tool_libraries);
  const std::string source = source_node(g, p);
  ordered_json results = ordered_json::array();
  for (const auto& f : p.segments) results.push_back(id_ref(file_node(g, f)));
  if (p.record) results.push_back(id_ref(file_node(g, *p.record)));
  uint64_t bad = 0;
  for (const auto& r : p.unreadable) bad += r.count;
  const std::string acquisition = g.id("acquisition");
  ordered_json action = {{"@id", acquisition},
                         {"@type", "case-investigation:InvestigativeAction"},
                         {"uco-core:name", "acquisition"},
                         {"uco-core:description",
                          "acquisition of " + (p.source_path.empty() ? std::string("a source") : p.source_path) +
                              " into " + p.image_format + ": " +
                              (bad == 0 ? std::string("every sector read")
                                        : std::to_string(bad) + " sectors unreadable (zero-filled)")},
                         {"uco-action:actionStatus", "Complete/Finish"}};
  times(action, p.started, p.finished);
  if (!p.case_values.examiner.empty()) {
    const std::string examiner = g.id("examiner", p.case_values.examiner);
    g.add({{"@id", examiner}, {"@type", "uco-identity:Person"}, {"uco-core:name", p.case_values.examiner}});
    action["uco-action:performer"] = id_ref(examiner);
  }
  action["uco-action:instrument"] = id_ref(tool);
  action["uco-action:object"] = ordered_json::array({id_ref(source)});
  action["uco-action:result"] = results;
  g.add(std::move(action));
  if (verify != nullptr) {
    const BuildInfo& b = build_info();
    NamedValues libraries;
    for (const auto& l : b.libraries) libraries.emplace_back(l.name, l.version);
    const std::string verifier = tool_node(g, "exhibit", b.version, b.commit, libraries);
    const std::string started = run ? run->started : "", finished = run ? run->finished : "";
    ordered_json v = {{"@id", g.id("verification", started + "/" + finished + "/" + (run ? run->command_line : ""))},
                      {"@type", "case-investigation:InvestigativeAction"},
                      {"uco-core:name", "verification"},
                      {"uco-core:description", verify->passed() ? "exhibit verify: every stored unit and digest matches"
                                                                : "exhibit verify: FAILED"},
                      {"uco-action:actionStatus", verify->passed() ? "Success" : "Fail"}};
    times(v, started, finished);
    v["uco-action:instrument"] = id_ref(verifier);
    v["uco-action:object"] = results;
    v["case-investigation:wasInformedBy"] = id_ref(acquisition);
    g.add(std::move(v));
  }
  const std::string uco = k_uco;
  ordered_json doc = {{"@context",
                       {{"kb", "urn:x-exhibit:kb:"},
                        {"case-investigation", "https://ontology.caseontology.org/case/investigation/"},
                        {"uco-action", uco + "action/"},
                        {"uco-core", uco + "core/"},
                        {"uco-identity", uco + "identity/"},
                        {"uco-observable", uco + "observable/"},
                        {"uco-tool", uco + "tool/"},
                        {"uco-types", uco + "types/"},
                        {"xsd", "http://www.w3.org/2001/XMLSchema#"}}},
                      {"@graph", g.take()}};
  to_xsd_strings(doc);
  return dump_json(doc);
}

}  // namespace exhibit::report
