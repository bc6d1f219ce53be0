#include "report/dfxml.hpp"

#include <initializer_list>

#include "exhibit/version.hpp"
#include "report/xml_text.hpp"

namespace exhibit::report {

namespace {

using Attributes = std::initializer_list<std::pair<const char*, std::string>>;

// The document, indented by its depth.
class Xml {
 public:
  void open(const std::string& name, Attributes attributes = {}) {
    line("<" + name + attrs(attributes) + ">");
    ++m_depth;
  }
  void close(const std::string& name) {
    --m_depth;
    line("</" + name + ">");
  }
  void empty(const std::string& name, Attributes attributes) { line("<" + name + attrs(attributes) + "/>"); }
  void text(const std::string& name, const std::string& value, Attributes attributes = {}) {
    line("<" + name + attrs(attributes) + ">" + xml_escape(value) + "</" + name + ">");
  }
  // An element only when it has a value.
  void text_if(const std::string& name, const std::string& value) {
    if (!value.empty()) text(name, value);
  }
  void raw(const std::string& s) { m_out += s; }
  std::string take() { return std::move(m_out); }

 private:
  static std::string attrs(Attributes attributes) {
    std::string out;
    for (const auto& [k, v] : attributes) out += std::string(" ") + k + "=\"" + xml_escape(v) + "\"";
    return out;
  }
  void line(const std::string& s) { m_out += std::string(m_depth * 2, ' ') + s + "\n"; }
  std::string m_out;
  size_t m_depth = 0;
};

// The schema's names for digests; any other is "other", named in exhibit:algorithm.
void hashdigest(Xml& x, const std::string& algorithm, const std::string& hex) {
  for (const char* known : {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"}) {
    if (algorithm == known) return x.text("hashdigest", hex, {{"type", algorithm}});
  }
  x.text("hashdigest", hex, {{"type", "other"}, {"exhibit:algorithm", algorithm}});
}

std::string compiler() {
#if defined(__clang__)
  return "Clang " __clang_version__;
#elif defined(__GNUC__)
  return "GCC " __VERSION__;
#else
  return "";
#endif
}

void creator(Xml& x, const DocumentRun& run) {
  const BuildInfo& b = build_info();
  x.open("creator");
  x.text("program", "exhibit");
  x.text("version", b.version, {{"exhibit:commit", b.commit}});
  x.open("build_environment");
  x.text_if("compiler", compiler());
  for (const auto& l : b.libraries) {
    if (!l.at_run_time) x.empty("library", {{"name", l.name}, {"version", l.version}});
  }
  x.close("build_environment");
  const OsParts os = split_os(run.os);
  x.open("execution_environment", {{"exhibit:end_time", run.finished}, {"exhibit:command", run.command}});
  x.text_if("os_sysname", os.sysname);
  x.text_if("os_release", os.release);
  x.text_if("arch", os.machine);
  x.text_if("command_line", run.command_line);
  x.text_if("start_time", run.started);
  x.close("execution_environment");
  for (const auto& l : b.libraries) {
    if (l.at_run_time) x.empty("library", {{"name", l.name}, {"version", l.version}});
  }
  x.close("creator");
}

void acquisition(Xml& x, const Provenance& p) {
  x.open("exhibit:acquisition", {{"from", p.from_record ? "record" : "image"}});
  x.text("exhibit:program", p.tool_name);
  x.text("exhibit:version", p.tool_version);
  x.text("exhibit:commit", p.tool_commit);
  for (const auto& [name, version] : p.tool_libraries) x.empty("library", {{"name", name}, {"version", version}});
  x.text("exhibit:host_os", p.host_os);
  x.text("exhibit:start_time", p.started);
  x.text("exhibit:end_time", p.finished);
  x.text("exhibit:case_number", p.case_values.case_number);
  x.text("exhibit:evidence_number", p.case_values.evidence_number);
  x.text("exhibit:examiner", p.case_values.examiner);
  x.text("exhibit:description", p.case_values.description);
  x.text("exhibit:notes", p.case_values.notes);
  x.text("exhibit:image_format", p.image_format);
  x.close("exhibit:acquisition");
  x.open("exhibit:device");
  x.text("exhibit:path", p.source_path);
  x.text("exhibit:kind", p.source_kind);
  x.text("exhibit:vendor", p.vendor);
  x.text("exhibit:model", p.model);
  x.text("exhibit:serial", p.serial);
  x.text("exhibit:firmware", p.firmware);
  x.text("exhibit:transport", p.transport);
  x.text("exhibit:size", std::to_string(p.source_size));
  x.text("exhibit:logical_sector_size", std::to_string(p.logical_sector_size));
  x.text("exhibit:physical_sector_size", std::to_string(p.physical_sector_size));
  x.close("exhibit:device");
}

// Sector ranges as byte runs of the media.
void sector_runs(Xml& x, const std::vector<SectorRange>& ranges, uint32_t bytes_per_sector, bool zero_filled) {
  x.open("byte_runs");
  for (const auto& r : ranges) {
    const std::string first = std::to_string(r.first), count = std::to_string(r.count);
    const std::string offset = std::to_string(r.first * bytes_per_sector);
    const std::string len = std::to_string(r.count * bytes_per_sector);
    if (zero_filled) {
      x.empty("byte_run", {{"img_offset", offset},
                           {"len", len},
                           {"fill", "0"},
                           {"exhibit:first_sector", first},
                           {"exhibit:sector_count", count}});
    } else {
      x.empty("byte_run",
              {{"img_offset", offset}, {"len", len}, {"exhibit:first_sector", first}, {"exhibit:sector_count", count}});
    }
  }
  x.close("byte_runs");
}

void file_object(Xml& x, const ProvenanceFile& f, const char* role) {
  x.open("fileobject", {{"exhibit:role", role}});
  x.text("filename", f.name);
  x.text("filesize", std::to_string(f.size));
  if (!f.sha256.empty()) hashdigest(x, "sha256", f.sha256);
  x.close("fileobject");
}

void image(Xml& x, const Provenance& p) {
  x.open("diskimageobject");
  acquisition(x, p);
  x.open("exhibit:media", {{"size", std::to_string(p.media_size)}});
  for (const auto& [algorithm, hex] : p.media_digests) hashdigest(x, algorithm, hex);
  x.close("exhibit:media");
  uint64_t bad = 0;
  for (const auto& r : p.unreadable) bad += r.count;
  x.open("exhibit:unreadable", {{"sectors", std::to_string(bad)}});
  sector_runs(x, p.unreadable, p.bytes_per_sector, true);
  x.close("exhibit:unreadable");
  // The piecewise SHA-256: the one byte_runs DFXML gives a disk image.
  x.open("byte_runs", {{"exhibit:piece_size", std::to_string(p.piece_size)}});
  for (const auto& piece : p.pieces) {
    x.open("byte_run", {{"img_offset", std::to_string(piece.offset)}, {"len", std::to_string(piece.length)}});
    hashdigest(x, "sha256", piece.sha256);
    x.close("byte_run");
  }
  x.close("byte_runs");
  if (p.bytes_per_sector > 0) x.text("sector_size", std::to_string(p.bytes_per_sector));
  for (const auto& f : p.segments) file_object(x, f, "segment");
  if (p.record) file_object(x, *p.record, "record");
  x.close("diskimageobject");
}

void verification(Xml& x, const VerifyReport& r) {
  x.open("exhibit:verification", {{"verdict", r.passed() ? "passed" : "failed"},
                                  {"bytes_read", std::to_string(r.bytes_read)},
                                  {"pieces_checked", std::to_string(r.pieces_checked)}});
  for (const auto& c : r.checks) {
    x.empty("exhibit:digest", {{"algorithm", c.algorithm},
                               {"stored", c.stored},
                               {"computed", c.computed},
                               {"stored_in", c.stored_in},
                               {"match", c.match() ? "1" : "0"}});
  }
  x.open("exhibit:bad_chunks");
  sector_runs(x, r.bad_chunks, r.info.bytes_per_sector, false);
  x.close("exhibit:bad_chunks");
  for (const auto& m : r.piece_mismatches) {
    x.empty("exhibit:piece_mismatch", {{"index", std::to_string(m.index)},
                                       {"img_offset", std::to_string(m.offset)},
                                       {"len", std::to_string(m.length)},
                                       {"stored", m.stored},
                                       {"computed", m.computed}});
  }
  for (const auto& f : r.segment_checks) {
    x.empty("exhibit:file", {{"name", f.file},
                             {"stored_size", std::to_string(f.stored_size)},
                             {"size", std::to_string(f.size)},
                             {"stored", f.stored},
                             {"computed", f.computed},
                             {"match", f.match() ? "1" : "0"}});
  }
  for (const auto& s : r.signatures) {
    x.empty("exhibit:signature",
            {{"what", s.what}, {"file", s.file}, {"valid", s.valid ? "1" : "0"}, {"detail", s.detail}});
  }
  for (const auto& m : r.record_mismatches) {
    x.empty("exhibit:record_mismatch", {{"field", m.field}, {"record", m.record}, {"image", m.image}});
  }
  for (const auto& n : r.not_checked) x.text("exhibit:not_checked", n);
  for (const auto& p : r.problems) x.text("exhibit:problem", p);
  for (const auto& n : r.notes) x.text("exhibit:note", n);
  x.close("exhibit:verification");
}

}  // namespace

std::string render_dfxml(const Provenance& p, const DocumentRun& run, const std::string& source,
                         const VerifyReport* verify) {
  Xml x;
  x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  x.open("dfxml", {{"xmlns", "http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML"},
                   {"xmlns:dc", "http://purl.org/dc/elements/1.1/"},
                   {"xmlns:exhibit", k_dfxml_exhibit_namespace},
                   {"version", "2.0.0-beta.0"}});
  x.open("metadata");
  x.text("dc:type", "Disk Image");
  x.close("metadata");
  creator(x, run);
  x.open("source");
  x.text("image_filename", source);
  x.close("source");
  image(x, p);
  if (verify != nullptr) verification(x, *verify);
  x.close("dfxml");
  return x.take();
}

}  // namespace exhibit::report
