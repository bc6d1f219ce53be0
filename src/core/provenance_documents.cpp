// info/verify --dfxml and --case (exhibit/provenance.hpp): the record beside the image, or the image.
#include "core/acquire_job.hpp"
#include "exhibit/provenance.hpp"
#include "image/unit_reader.hpp"
#include "report/case_jsonld.hpp"
#include "report/dfxml.hpp"
#include "report/record.hpp"
#include "util/bounded_input.hpp"
#include "util/text.hpp"

namespace exhibit {

namespace {

// `record`: its path ("": look beside the image).
Result<report::Provenance> provenance_of(const std::string& image, const ImageInfo& info, std::string record) {
  if (record.empty()) {
    if (const auto base = image::image_base(image)) record = report::record_path_for_base(*base);
  }
  if (!record.empty()) {
    auto text = util::read_small_file(record, "record");
    if (text) return report::provenance_from_record(*text, record);
    if (text.error().code() != ErrorCode::NotFound) return text.error();
  }
  return report::provenance_from_image(info);
}

report::DocumentRun document_run(const char* command, const ProvenanceRun& run) {
  return {command, run.command_line, core::host_os(), util::iso8601_utc(run.started),
          util::iso8601_utc(std::time(nullptr))};
}

}  // namespace

Result<std::string> info_dfxml(const std::string& image, const ImageInfo& info, const ProvenanceRun& run) {
  EXHIBIT_TRY(const report::Provenance p, provenance_of(image, info, ""));
  return report::render_dfxml(p, document_run("info", run), image);
}

Result<std::string> verify_dfxml(const std::string& image, const VerifyReport& report, const ProvenanceRun& run) {
  EXHIBIT_TRY(const report::Provenance p, provenance_of(image, report.info, report.record_file));
  return report::render_dfxml(p, document_run("verify", run), image, &report);
}

Result<std::string> info_case_jsonld(const std::string& image, const ImageInfo& info) {
  EXHIBIT_TRY(const report::Provenance p, provenance_of(image, info, ""));
  return report::render_case_jsonld(p);
}

Result<std::string> verify_case_jsonld(const std::string& image, const VerifyReport& report, const ProvenanceRun& run) {
  EXHIBIT_TRY(const report::Provenance p, provenance_of(image, report.info, report.record_file));
  const report::DocumentRun r = document_run("verify", run);
  return report::render_case_jsonld(p, &report, &r);
}

}  // namespace exhibit
