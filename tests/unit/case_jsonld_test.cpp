#include "report/case_jsonld.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using namespace exhibit;

TEST(CaseJsonld, NodeNamesAreVersion5UuidsInExhibitsNamespace) {
  // python3: uuid.uuid5(uuid.UUID('678e416b-bdbe-449e-a533-e6ce42bba3a4'), 'exhibit')
  EXPECT_EQ(report::name_uuid("exhibit"), "3542236a-6350-5ab7-8cf8-d0f3fea22dc9");
}

TEST(CaseJsonld, UntrustedTextStaysValidJsonAndXsdStrings) {
  report::Provenance p;
  p.source_kind = "block device";
  p.source_path = "/dev/sdb";
  p.model = "M\x01odel\xFF";
  p.serial = "S\"N";
  p.case_values.examiner = "E\x1b[31m";
  p.media_digests = {{"md5", "00ff"}, {"blake2b512", "ab"}};
  p.record = report::ProvenanceFile{"x.manifest.json", 10, "aa"};
  const auto doc = nlohmann::json::parse(report::render_case_jsonld(p));
  std::string model, serial, examiner;
  std::vector<std::string> methods;
  for (const auto& n : doc.at("@graph")) {
    if (n.contains("uco-observable:model")) model = n.at("uco-observable:model");
    if (n.contains("uco-observable:serialNumber")) serial = n.at("uco-observable:serialNumber");
    if (n.at("@type") == "uco-identity:Person") examiner = n.at("uco-core:name");
    if (n.at("@type") == "uco-types:Hash") methods.push_back(n.at("uco-types:hashMethod"));
  }
  EXPECT_EQ(model, "M\xEF\xBF\xBDodel\xEF\xBF\xBD");
  EXPECT_EQ(serial, "S\"N");
  EXPECT_EQ(examiner, "E\xEF\xBF\xBD[31m");
  // Digests UCO has no name for are left out; the others by UCO's names.
  EXPECT_EQ(methods, (std::vector<std::string>{"MD5", "SHA256"}));
}
