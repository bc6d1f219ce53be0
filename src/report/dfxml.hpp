// DFXML (Digital Forensics XML, schema 2.0.0-beta.0) of an acquisition: BASE.dfxml beside the
// record, and what `info --dfxml` / `verify --dfxml` print. Layout in docs/FORMATS.md.
#pragma once

#include <string>

#include "exhibit/verify.hpp"
#include "report/provenance.hpp"

namespace exhibit::report {

// The namespace of exhibit's own elements and attributes (where DFXML has no element: the device's
// identity, the case, the media digests, unreadable sectors, the verification).
inline constexpr const char* k_dfxml_exhibit_namespace = "urn:x-exhibit:dfxml:1";

// `run` is the creator (this program, as it runs now or as the acquisition ran); `source` the
// input it read (the device for acquire, the image for info and verify); `verify` adds the
// verification outcome.
std::string render_dfxml(const Provenance& p, const DocumentRun& run, const std::string& source,
                         const VerifyReport* verify = nullptr);

}  // namespace exhibit::report
