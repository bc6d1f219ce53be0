#include "commands.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "exhibit/devices.hpp"
#include "exhibit/export.hpp"
#include "exhibit/image_info.hpp"
#include "exhibit/output.hpp"
#include "exhibit/provenance.hpp"
#include "exhibit/text.hpp"
#include "exhibit/verify.hpp"
#include "exit_code.hpp"
#include "progress_bar.hpp"

namespace exhibit::cli {

namespace {

std::string safe(const std::string& s) { return sanitize_for_terminal(s); }

void print_field(const char* key, const std::string& value) { std::printf("%-20s %s\n", key, safe(value).c_str()); }

// acquire --verify: each copy's failures (as verify prints them) and its verdict, then the whole.
void print_verification(const AcquireVerification& v) {
  for (const auto& c : v.copies) {
    for (const auto& line : verify_lines(c.report)) {
      if (line.failure) print_field(line.label.c_str(), line.text);
    }
    print_field("verification", c.base + ": " + c.verdict());
  }
  print_field("verified", v.passed()
                              ? std::string("yes: every copy") +
                                    (v.what == VerifyAfter::Source ? " and the source" : "") + " read again and checked"
                              : std::string("NO: the verification FAILED (see above, the log and the report)"));
}

}  // namespace

int report_error(const Error& e) {
  std::fprintf(stderr, "exhibit: error: %s\n", safe(e.message()).c_str());
  return exit_code_for(e.code());
}

namespace {

// The one-line error on stderr, and with --json the same as a JSON document on stdout.
int fail(const CommandLine& cl, const char* command, const Error& e) {
  const int code = report_error(e);
  if (cl.json) std::fputs(error_json(command, e, code).c_str(), stdout);
  return code;
}

}  // namespace

int run_acquire(const CommandLine& cl, const std::atomic<bool>& cancel) {
  ProgressBar bar("acquiring", !cl.quiet);
  auto result = acquire(cl.acquire, bar.hooks(cancel));
  bar.finish();
  if (!result) return fail(cl, "acquire", result.error());
  const AcquireResult& r = *result;
  // A copy given up while another finished: the finished one is good, but the job is not done.
  std::string given_up;
  for (const auto& c : r.copies) {
    if (!c.finished()) given_up += (given_up.empty() ? "" : "; ") + c.base + ": " + c.error;
  }
  const bool verify_failed = r.verification && !r.verification->passed();
  const int code = !given_up.empty() ? k_exit_incomplete
                   : verify_failed   ? k_exit_verify_failed
                   : r.complete()    ? k_exit_ok
                                     : k_exit_read_errors;
  if (!given_up.empty()) {
    std::fprintf(
        stderr,
        "exhibit: error: copy given up (%s); the other copies are finished, each with its own record and checksums\n",
        safe(given_up).c_str());
  }
  if (cl.json) {
    std::fputs(acquire_json(cl.acquire, r, code).c_str(), stdout);
    return code;
  }
  for (const auto& c : r.copies) {
    if (!c.finished()) print_field("COPY FAILED", c.base + ": " + c.error);
  }
  for (const auto& c : r.copies) {
    if (c.finished() && r.copies.size() > 1) {
      for (const auto& f : c.segments) print_field("segment", f.path);
      print_field("record", c.record_file);
    }
  }
  if (r.copies.size() <= 1) {
    for (const auto& f : r.segment_files) print_field("segment", f);
  }
  if (r.source.drive.hpa_sectors > 0 || r.source.drive.dco_sectors > 0) {
    print_field("HIDDEN AREA", std::to_string(r.source.drive.hpa_sectors) + " sectors behind a Host Protected Area, " +
                                   std::to_string(r.source.drive.dco_sectors) +
                                   " behind a Device Configuration Overlay: not in the image (see the log)");
  }
  print_field("log", r.log_file);
  print_field("map", r.map_file);
  if (r.copies.size() <= 1) print_field("record", r.record_file);
  print_field("checksums", r.checksums_file);
  print_field("report", r.report_file);
  print_field("dfxml", r.dfxml_file);
  print_field("case", r.case_file);
  print_field("bytes", std::to_string(r.bytes) + " (" + format_bytes(r.bytes) + ")");
  print_field("time",
              format_duration(r.seconds) + ", " +
                  format_bytes(static_cast<uint64_t>(static_cast<double>(r.bytes) / std::max(r.seconds, 1e-6))) + "/s");
  for (const auto& d : r.digests) print_field(d.algorithm.c_str(), d.hex);
  if (r.padding > 0) {
    print_field("padding", std::to_string(r.padding) +
                               " zero bytes complete the last sector; the digests above "
                               "include them. Digests of the source bytes alone:");
    for (const auto& d : r.source_digests) print_field(("source " + d.algorithm).c_str(), d.hex);
  }
  if (!r.recovered.empty()) print_field("recovered", ranges_text(r.recovered) + " (read on a retry)");
  if (r.complete()) {
    print_field("result", "complete: every sector read");
  } else {
    print_field("unreadable", ranges_text(r.unreadable));
    print_field("result", "complete with " + std::to_string(sector_total(r.unreadable)) +
                              " unreadable sectors (zero-filled, recorded in the image and the log)");
  }
  if (r.verification) print_verification(*r.verification);
  return code;
}

int run_verify(const CommandLine& cl, const std::atomic<bool>& cancel) {
  const ProvenanceRun run{cl.command_line, std::time(nullptr)};
  ProgressBar bar("verifying", !cl.quiet);
  auto result = verify_image(cl.image, bar.hooks(cancel), cl.threads, cl.verify_options);
  bar.finish();
  if (!result) {
    const int code = fail(cl, "verify", result.error());
    if (code == k_exit_verify_failed && !cl.json) {
      std::printf("verdict: FAILED (%s)\n", safe(result.error().message()).c_str());
    }
    return code;
  }
  const VerifyReport& r = *result;
  const ImageInfo& i = r.info;
  if (!cl.verify_options.report.empty()) {
    if (auto st = write_verify_report(cl.verify_options.report, cl.image, r,
                                      {cl.command_line, run.started, std::time(nullptr)});
        !st)
      return fail(cl, "verify", st.error());
  }
  if (cl.json) {
    const int code = r.passed() ? k_exit_ok : k_exit_verify_failed;
    std::fputs(verify_json(cl.image, r, code).c_str(), stdout);
    return code;
  }
  if (cl.dfxml || cl.case_jsonld) {
    auto doc = cl.dfxml ? verify_dfxml(cl.image, r, run) : verify_case_jsonld(cl.image, r, run);
    if (!doc) return fail(cl, "verify", doc.error());
    std::fputs(doc->c_str(), stdout);
    return r.passed() ? k_exit_ok : k_exit_verify_failed;
  }
  print_field("image", cl.image + " (" + std::to_string(i.segment_files.size()) + " segment file" +
                           (i.segment_files.size() == 1 ? "" : "s") + ", " + i.format + ")");
  print_field("media", std::to_string(i.media_size) + " bytes, " + std::to_string(i.sector_count) + " sectors of " +
                           std::to_string(i.bytes_per_sector) + " bytes");
  for (const auto& line : verify_lines(r)) print_field(line.label.c_str(), line.text);
  const std::string verdict = verify_verdict(r);
  std::printf("verdict: %s\n", verdict.c_str());
  std::printf("repeat with independent tools:\n");
  for (const auto& c : verify_repeat_commands(cl.image, r)) std::printf("  %s\n", safe(c).c_str());
  return r.passed() ? k_exit_ok : k_exit_verify_failed;
}

int run_info(const CommandLine& cl) {
  const ProvenanceRun run{cl.command_line, std::time(nullptr)};
  auto result = read_image_info(cl.image);
  if (!result) return fail(cl, "info", result.error());
  const ImageInfo& i = *result;
  // Our record beside the image, if any, knows what the drive said behind the bus. One that
  // cannot be used (too large to be ours, malformed) is said and left out: info shows the image;
  // judging the set is verify's work.
  std::optional<DriveIdentity> drive;
  if (auto recorded = read_recorded_drive(cl.image)) {
    drive = *recorded;
  } else {
    std::fprintf(stderr, "exhibit: warning: %s; the image is shown without its record\n",
                 safe(recorded.error().message()).c_str());
  }
  if (cl.json) {
    std::fputs(info_json(cl.image, i, drive).c_str(), stdout);
    return k_exit_ok;
  }
  if (cl.dfxml || cl.case_jsonld) {
    auto doc = cl.dfxml ? info_dfxml(cl.image, i, run) : info_case_jsonld(cl.image, i);
    if (!doc) return fail(cl, "info", doc.error());
    std::fputs(doc->c_str(), stdout);
    return k_exit_ok;
  }
  print_field("format", i.format);
  for (const auto& f : i.segment_files) print_field("segment", f);
  print_field("media size", std::to_string(i.media_size) + " bytes (" + format_bytes(i.media_size) + ")");
  print_field("bytes per sector", std::to_string(i.bytes_per_sector));
  print_field("sectors", std::to_string(i.sector_count));
  const std::string unit = unit_name(i.unit);
  print_field(("sectors per " + unit).c_str(), std::to_string(i.sectors_per_chunk));
  print_field((unit + "s").c_str(), std::to_string(i.chunk_count));
  print_field("compression", i.compression);
  print_field("media type", i.media_type + (i.physical ? ", physical" : ""));
  if (!i.set_identifier.empty()) print_field("set identifier", i.set_identifier);
  for (const auto& [k, v] : i.header_values) print_field(k.c_str(), v);
  for (const auto& h : i.hashes) print_field(h.algorithm.c_str(), h.hex);
  if (drive) {
    print_field("drive identity",
                drive->status + (drive->method.empty() ? "" : " by " + drive->method) + "  (from the record)");
    if (!drive->model.empty()) print_field("drive model", drive->model);
    if (!drive->serial.empty()) print_field("drive serial", drive->serial);
    if (!drive->firmware.empty()) print_field("drive firmware", drive->firmware);
    if (drive->hpa_sectors > 0)
      print_field("HIDDEN AREA",
                  std::to_string(drive->hpa_sectors) + " sectors behind a Host Protected Area, not in the image");
    if (drive->dco_sectors > 0)
      print_field("HIDDEN AREA", std::to_string(drive->dco_sectors) +
                                     " sectors behind a Device Configuration Overlay, not in the image");
  }
  if (i.acquisition_errors.empty()) {
    print_field("acquisition errors", "none");
  } else {
    for (const auto& e : i.acquisition_errors) {
      print_field("acquisition error", "sectors " + std::to_string(e.first) + "-" + std::to_string(e.last()) + " (" +
                                           std::to_string(e.count) + " sectors)");
    }
  }
  return k_exit_ok;
}

int run_export(const CommandLine& cl, const std::atomic<bool>& cancel) {
  ProgressBar bar("exporting", !cl.quiet);
  auto result = export_image(cl.export_options, bar.hooks(cancel));
  bar.finish();
  if (!result) return report_error(result.error());
  // The data may be on stdout: the summary goes to stderr, and only with a file output.
  if (result->output != "-") {
    std::fprintf(stderr, "exported %llu bytes to %s\n", static_cast<unsigned long long>(result->bytes),
                 safe(result->output).c_str());
  }
  return k_exit_ok;
}

int run_devices(const CommandLine& cl) {
  const auto devices = list_devices();
  if (cl.json) {
    std::fputs(devices_json(devices).c_str(), stdout);
    return k_exit_ok;
  }
  std::printf("%-14s %10s  %-24s %-20s %-9s %-9s %-3s %s\n", "DEVICE", "SIZE", "MODEL", "SERIAL", "TRANSPORT",
              "SECTORS", "RO", "MOUNTED");
  for (const auto& d : devices) {
    const SourceInfo& i = d.info;
    std::string mounted;
    for (const auto& m : d.mounts)
      mounted += (mounted.empty() ? "" : ", ") + m.mount_point + (m.read_write ? " (rw)" : " (ro)");
    if (mounted.empty()) mounted = "-";
    std::string model = i.model.empty() && !i.loop_backing_file.empty() ? i.loop_backing_file : i.model;
    std::printf("%-14s %10s  %-24s %-20s %-9s %4u/%-4u %-3s %s%s\n", safe(i.path).c_str(), format_bytes(i.size).c_str(),
                safe(model).c_str(), safe(i.serial).c_str(), safe(i.transport.empty() ? "-" : i.transport).c_str(),
                i.logical_sector_size, i.physical_sector_size, d.read_only ? "yes" : "no", safe(mounted).c_str(),
                d.system               ? "  SYSTEM: holds the running system"
                : d.mounted_read_write ? "  IN USE: mounted read-write"
                                       : "");
  }
  return k_exit_ok;
}

}  // namespace exhibit::cli
