// CASE/UCO (Cyber-investigation Analysis Standard Expression over the Unified Cyber Ontology,
// 1.4.0) of an acquisition: BASE.case.jsonld beside the record, and what `info --case` /
// `verify --case` print. A JSON-LD graph; every class and property is the ontology's. Layout in
// docs/FORMATS.md.
#pragma once

#include <string>

#include "exhibit/verify.hpp"
#include "report/provenance.hpp"

namespace exhibit::report {

// The acquisition as a case-investigation:InvestigativeAction; with `verify` (and `run`, the
// verify run) the verification as a second one, informed by the first.
std::string render_case_jsonld(const Provenance& p, const VerifyReport* verify = nullptr,
                               const DocumentRun* run = nullptr);

// An RFC 4122 version 5 (name-based, SHA-1) UUID of `name` in exhibit's namespace: the same
// record gives the same node names, so graphs of one acquisition merge.
std::string name_uuid(const std::string& name);

}  // namespace exhibit::report
