#include "options.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <thread>

#include "exhibit/digest.hpp"
#include "exhibit/text.hpp"
#include "exhibit/version.hpp"
#include "exit_code.hpp"
#include "grammar.hpp"

namespace exhibit::cli {

const char* const k_exit_code_help =
    "Exit codes:\n"
    "  0  success (acquire: complete, every sector read; verify: everything matches)\n"
    "  1  verification failed: a mismatch or corruption was found\n"
    "  2  usage error: bad option, missing or unusable input, output exists\n"
    "  3  could not complete: destination error, source vanished, interrupted\n"
    "  4  acquisition complete but with unreadable sectors (zero-filled, all recorded)\n";

namespace {

// CLI11 validator for sizes such as 640MB, 1.4GiB, 8GiB.
struct SizeValidator : CLI::Validator {
  explicit SizeValidator(bool allow_zero = false) {
    name_ = "SIZE";
    func_ = [allow_zero](const std::string& s) {
      const auto v = parse_size(s);
      return v && (*v > 0 || allow_zero) ? std::string() : "not a size (examples: 650MB, 1.4GiB, 2000000000)";
    };
  }
};

std::vector<std::string> format_names() {
  std::vector<std::string> out;
  for (const auto& f : image_formats()) out.emplace_back(f.name);
  return out;
}

std::vector<std::string> compression_names() {
  std::vector<std::string> out;
  for (const auto& c : compressions()) out.emplace_back(c.name);
  return out;
}

// A path that exists, or an nbds:// or nbd:// address (checked when it is opened).
struct ExistingPathOrNbd : CLI::Validator {
  ExistingPathOrNbd() {
    name_ = "PATH";
    func_ = [](const std::string& s) {
      if (s.rfind("nbd", 0) == 0 && s.find("://") != std::string::npos) return std::string();
      std::string path = s;
      return CLI::ExistingPath(path);
    };
  }
};

// How acquire and verify --source reach a source on another machine.
void add_remote_options(CLI::App* sub, RemoteAccess& r) {
  sub->add_option("--tls-psk", r.tls_psk_file,
                  "nbds:// source: the pre-shared key file (one line IDENTITY:HEXKEY, as exhibit serve prints it)")
      ->check(CLI::ExistingFile)
      ->type_name("FILE");
  sub->add_option("--tls-cert", r.tls_certificates,
                  "nbds:// source: folder with ca-cert.pem that signed the server's certificate (and "
                  "client-cert.pem, client-key.pem if the server asks)")
      ->check(CLI::ExistingDirectory)
      ->type_name("FOLDER");
  sub->add_flag("--insecure", r.insecure,
                "allow plaintext nbd:// to another machine (the evidence crosses the network unencrypted)");
}

}  // namespace

Grammar::Grammar() : app("exhibit: forensic imaging to verifiable E01 images", "exhibit") {
  app.footer(k_exit_code_help);
  app.set_version_flag("--version", [] {
    const BuildInfo& b = build_info();
    return "exhibit " + b.version + " (commit " + b.commit + ")\nlibraries: " + libraries_text();
  });
  app.require_subcommand(1);
  // Usage errors are one line, like every other error.
  auto one_line = [](const CLI::App*, const CLI::Error& e) {
    return std::string("exhibit: error: ") + e.what() + " (see exhibit --help)\n";
  };
  app.failure_message(one_line);

  AcquireOptions& a = cl.acquire;
  acq = app.add_subcommand("acquire", "image a block device or file into E01 segment files");
  acq->add_option("source", a.source,
                  "block device or file to image (never written to), or nbds://HOST[:PORT]/EXPORT that exhibit serve "
                  "offers on another machine")
      ->required()
      ->type_name("SOURCE");
  acq->add_option("-o,--output", a.output_base, "image base path: writes BASE.E01.., BASE.log, BASE.manifest.json")
      ->required()
      ->type_name("BASE");
  acq->add_option("--second-output", a.second_outputs,
                  "another copy written at the same time (repeatable): BASE2.E01.. with its own log, record and report")
      ->take_all()
      ->allow_extra_args(false)
      ->type_name("BASE2");
  acq->add_option("-C,--case-number", a.metadata.case_number, "case number");
  acq->add_option("-E,--evidence-number", a.metadata.evidence_number, "evidence number");
  acq->add_option("-e,--examiner", a.metadata.examiner, "examiner name");
  acq->add_option("-D,--description", a.metadata.description, "description of the evidence");
  acq->add_option("-N,--notes", a.metadata.notes, "notes");
  acq->add_option("-S,--segment-size", segment_size,
                  "maximum segment file size, e.g. 640MB, 8GiB: at least one chunk and 16KiB (48KiB), raw one sector "
                  "(default 1.4GiB; more for media over 20 TiB; 0 with --format raw: one file)")
      ->check(SizeValidator(true))
      ->type_name("SIZE");
  acq->add_option("--piece-size", piece_size,
                  "window of the piecewise SHA-256 in the record: at least 1MiB, at most 65536 pieces (the "
                  "default grows for media over 4 TiB); 0: none")
      ->check(SizeValidator(true))
      ->capture_default_str()
      ->type_name("SIZE");
  acq->add_option("--format", format,
                  "image format: e01 (EnCase 6), raw (BASE.001… split by --segment-size, "
                  "or one BASE.raw with --segment-size 0), zst (seekable zstd BASE.zst)")
      ->check(CLI::IsMember(format_names()))
      ->capture_default_str();
  acq->add_option("-c,--compression", compression, "none, empty-block, fast or best")
      ->check(CLI::IsMember(compression_names()))
      ->capture_default_str();
  acq->add_option("--chunk-sectors", a.chunk_sectors,
                  "sectors per chunk, a power of two from 1 to 65536 (default 64; more for media over 256 GiB)");
  acq->add_option("--retries", a.retries, "extra reads of a failing sector before it is zero-filled")
      ->capture_default_str();
  acq->add_option("--sector-size", a.file_sector_size, "bytes per sector for a file source (default 512)")
      ->check(CLI::IsMember({512, 1024, 2048, 4096}));
  acq->add_option(
         "--hash", hashes,
         "digests to compute, comma-separated: md5 (always) and sha1 go into the E01, all into the log and record")
      ->capture_default_str()
      ->type_name("LIST");
  a.threads = std::max(1u, std::thread::hardware_concurrency());
  acq->add_option("-j,--threads", a.threads,
                  "compression threads (default: one per core; the image is the same whatever the number)")
      ->check(CLI::Range(1u, 256u));
  acq->add_option("--queue-depth", a.queue_depth,
                  "source reads in flight at once, 1 to 32 (fast drives and USB bridges need several)")
      ->check(CLI::Range(1u, 32u))
      ->capture_default_str();
  acq->add_option("--read-size", read_size,
                  "bytes per source read, 4KiB to 16MiB, in whole chunks (default 4MiB; E01 and raw: a zst frame is "
                  "one 4MiB read)")
      ->check(SizeValidator(false))
      ->type_name("SIZE");
  acq->add_option("--sign-key", a.sign_key, "PEM private key (RSA, EC, Ed25519) that signs the record")
      ->check(CLI::ExistingFile)
      ->type_name("KEY.pem");
  acq->add_option("--sign-cert", a.sign_cert, "its certificate: the signature becomes CMS (openssl cms -verify)")
      ->check(CLI::ExistingFile)
      ->type_name("CERT.pem");
  acq->add_flag("--allow-mounted", a.allow_mounted, "image a source even if it is mounted read-write");
  add_remote_options(acq, a.remote);
  auto* force = acq->add_flag("-f,--force", a.force, "replace an existing image of the same name");
  auto* resume = acq->add_flag(
      "--resume", a.resume,
      "continue the interrupted acquisition into BASE and its other copies (same source; its settings are kept)");
  resume->excludes(force);
  // What shapes the image comes from the interrupted run: giving it again could only contradict it.
  for (const char* name :
       {"--case-number", "--evidence-number", "--examiner", "--description", "--notes", "--segment-size",
        "--piece-size", "--compression", "--chunk-sectors", "--sector-size", "--hash", "--format", "--second-output"}) {
    resume->excludes(acq->get_option(name));
  }
  acq->add_flag("--verify{image}", verify,
                "then read every copy again and check it as verify does; --verify=source (with the =) also re-reads "
                "the source "
                "and compares it sector by sector. The record and report hold the result; a failure exits 1")
      ->check(CLI::IsMember({"image", "source"}).description(""));
  acq->add_flag("-q,--quiet", cl.quiet, "no progress display");
  acq->footer(
      "The source is opened read-only and never written; a block device is set read-only in the kernel first. "
      "Unreadable sectors are retried, narrowed, zero-filled and recorded; an interrupted run goes on with "
      "--resume.\n\n"
      "Files: BASE.E01, BASE.E02, ... (or BASE.001 ..., BASE.raw, BASE.zst): the image; BASE.log: the "
      "acquisition log; BASE.manifest.json: the record (digests, pieces, source, read errors), with "
      "BASE.manifest.sig or .p7s when signed and BASE.manifest.tsq, a timestamp request; BASE.map: the "
      "ddrescue map; BASE.sha256sums: the image files' SHA-256 (sha256sum -c); BASE.report.html: the "
      "printable report; BASE.dfxml and BASE.case.jsonld: the record as DFXML and as a CASE/UCO graph. While it "
      "runs: BASE.incomplete.* and BASE.resume.\n\n"
      "Environment: SOURCE_DATE_EPOCH=SECONDS (0 to 253402300799, the end of 9999) fixes the acquisition "
      "time, so a repeated acquisition gives the same files; its value goes into the log and the record.");
  acq->add_option("--report", a.report, "path of the printable HTML report (default BASE.report.html)")
      ->type_name("FILE");
  acq->add_flag("--json", cl.json, "print the result as JSON (docs/output.schema.json)");

  ver = app.add_subcommand("verify", "re-read an image (E01, Ex01, raw, zst) and check every chunk and stored digest");
  ver->add_option("image", cl.images,
                  "first segment file (IMAGE.E01, IMAGE.Ex01, IMAGE.001, IMAGE.zst); several, or folders: a batch")
      ->required()
      ->type_name("IMAGE");
  ver->add_option("--jobs", cl.jobs, "batch: images verified at once (default: one per core)")
      ->check(CLI::Range(1u, 256u));
  ver->add_option("--results", cl.results,
                  "batch: append each image's result to this JSON lines file; run again, it skips what it holds")
      ->type_name("FILE.jsonl");
  ver->add_flag("--recheck", cl.recheck, "batch: verify again the images --results already holds");
  ver->add_flag("--list", cl.list_only,
                "batch: print the image sets found (each first file, absolute, one a line) and verify nothing");
  ver->add_option("--report-dir", cl.report_dir,
                  "batch: write each image's HTML verification report into this folder (made if missing)")
      ->type_name("FOLDER");
  ver->add_flag("-q,--quiet", cl.quiet, "no progress display");
  ver->footer(
      "Every chunk is decoded and checked, every digest the image and its record store is computed again, and "
      "the record's pieces, segment digests and signature are checked; what differs is named by its sectors. "
      "Each check can be repeated with independent tools: verify prints their commands.\n\n"
      "Files: reads IMAGE's segment files and, beside them, BASE.manifest.json (with its signature), "
      "BASE.sha256sums and BASE.log; writes only --report, --results and --report-dir's files.");
  ver->add_option("--source", cl.verify_options.source,
                  "re-read the original device or file and compare it with the image, sector by sector")
      ->check(ExistingPathOrNbd())
      ->type_name("SOURCE");
  add_remote_options(ver, cl.verify_options.remote);
  ver->add_flag("--allow-mounted", cl.verify_options.allow_mounted,
                "re-read a source even if it is mounted read-write");
  ver->add_option("--report", cl.verify_options.report, "also write a printable HTML report to this file")
      ->type_name("FILE");
  ver->add_flag("-f,--force", cl.verify_options.force, "replace an existing --report file");
  auto* ver_json = ver->add_flag("--json", cl.json, "print the result as JSON (docs/output.schema.json)");
  auto* ver_dfxml = ver->add_flag("--dfxml", cl.dfxml,
                                  "print the image and the verification as DFXML (docs/FORMATS.md)")
                        ->excludes(ver_json);
  ver->add_flag("--case", cl.case_jsonld,
                "print the acquisition and the verification as a CASE/UCO JSON-LD graph (docs/FORMATS.md)")
      ->excludes(ver_json)
      ->excludes(ver_dfxml);
  cl.threads = a.threads;
  ver->add_option("-j,--threads", cl.threads, "threads that decompress and check chunks (default: one per core)")
      ->check(CLI::Range(1u, 256u));

  ver->add_option("--trust", cl.verify_options.trust_pem,
                  "PEM certificates to trust for the CMS signer's chain and the timestamp authority")
      ->check(CLI::ExistingFile)
      ->type_name("CERTS.pem");
  ver->add_flag("--require-signature", cl.verify_options.require_signature,
                "fail unless the record has a valid signature, checked with --trust or --pubkey");
  ver->add_option("--pubkey", cl.verify_options.pubkey_pem, "PEM public key that checks a plain signature (.sig)")
      ->check(CLI::ExistingFile)
      ->type_name("KEY.pem");

  inf = app.add_subcommand("info", "show what an image records about itself");
  inf->add_option("image", cl.image, "first segment file (IMAGE.E01)")->required()->type_name("IMAGE");
  auto* inf_json = inf->add_flag("--json", cl.json, "print the result as JSON (docs/output.schema.json)");
  auto* inf_dfxml =
      inf->add_flag("--dfxml", cl.dfxml, "print the image's provenance as DFXML (docs/FORMATS.md)")->excludes(inf_json);
  inf->add_flag("--case", cl.case_jsonld, "print the acquisition as a CASE/UCO JSON-LD graph (docs/FORMATS.md)")
      ->excludes(inf_json)
      ->excludes(inf_dfxml);

  exp = app.add_subcommand("export", "write an image's raw media bytes to a file or to standard output");
  exp->add_option("image", cl.export_options.image, "first segment file (IMAGE.E01)")->required()->type_name("IMAGE");
  exp->add_option("-o,--output", cl.export_options.output, "output file, or - for standard output")
      ->required()
      ->type_name("FILE");
  exp->add_option("--offset", export_offset, "first byte of the media to export (bytes or 1MiB, 4GiB ...)")
      ->check(SizeValidator(true))
      ->type_name("SIZE");
  exp->add_option("--length", export_length, "bytes to export (default: to the end)")
      ->check(SizeValidator(true))
      ->type_name("SIZE");
  exp->add_flag("-f,--force", cl.export_options.force, "replace an existing output file");
  exp->add_flag("-q,--quiet", cl.quiet, "no progress display");

  dev = app.add_subcommand("devices", "list block devices: identity, size, sector sizes, read-only flag, mounts");
  dev->add_flag("--json", cl.json, "print the list as JSON (docs/output.schema.json)");

  rep = app.add_subcommand("report", "merge batch results files (verify --results) into one summary");
  rep->add_option("results", cl.results_inputs, "results files (.jsonl), or folders of them")
      ->required()
      ->type_name("RESULTS");
  rep->add_option("-o,--output", cl.summary_html, "write the summary as a printable HTML page to this file")
      ->type_name("FILE");
  rep->add_flag("-f,--force", cl.force, "replace an existing -o file");
  rep->add_flag("--json", cl.json, "print the merged summary as JSON (docs/output.schema.json)");
  rep->add_flag("-q,--quiet", cl.quiet, "print nothing but errors");
  rep->footer(
      "Each image's latest result is kept, failures first; a line that cannot be used is counted by number, "
      "never taken as a result. The summary re-reads no image.\n\n"
      "Files: reads RESULTS (verify --results files, or folders: each *.jsonl directly inside); writes only -o.");

  ServeOptions& sv = cl.serve_options;
  srv = app.add_subcommand("serve", "offer a device read-only over the network (NBD with TLS) to exhibit acquire");
  srv->add_option("device", sv.device, "block device (or file) to serve; never written to")
      ->required()
      ->check(CLI::ExistingPath)
      ->type_name("DEVICE");
  srv->add_option("--listen", sv.listen, "address to listen on (default: every address of this machine)")
      ->type_name("ADDRESS");
  srv->add_option("--port", sv.port, "TCP port")->check(CLI::Range(1, 65535))->capture_default_str();
  srv->add_option("--export-name", sv.export_name, "the export's name in the address (default: the device's name)")
      ->type_name("NAME");
  auto* srv_psk = srv->add_option("--tls-psk", sv.tls_psk_file,
                                  "serve with this pre-shared key file (IDENTITY:HEXKEY) instead of a fresh key: "
                                  "keep it to serve again for acquire --resume")
                      ->check(CLI::ExistingFile)
                      ->type_name("FILE");
  srv->add_option("--tls-cert", sv.tls_certificates,
                  "serve with the X.509 certificates in this folder (nbdkit's ca-cert.pem, server-cert.pem, "
                  "server-key.pem) instead of a pre-shared key")
      ->check(CLI::ExistingDirectory)
      ->excludes(srv_psk)
      ->type_name("FOLDER");
  srv->add_flag("--allow-mounted", sv.allow_mounted, "serve a device even if it is mounted read-write");
  srv->add_option("--sector-size", sv.sector_size, "bytes per sector for a file (default 512)")
      ->check(CLI::IsMember({512, 1024, 2048, 4096}));
  srv->footer(
      "Run on the machine whose disk is imaged (booted from a forensic live system). The device is held as acquire "
      "holds it: the kernel's read-only flag set and checked (again every second while serving), opened exclusively, "
      "refused when mounted read-write. nbdkit serves it read-only, TLS required; its identity (model, serial, sector "
      "sizes, hidden areas) is the export's description, which acquire records. Prints the one line to type on the "
      "acquiring machine; serves until Ctrl-C, then puts the read-only flag back as it was.\n\n"
      "Files: a fresh key lives in a private folder under $TMPDIR (or /tmp) while serving, and is removed after.");

  for (auto* sub : {acq, ver, inf, exp, dev, rep, srv}) sub->failure_message(one_line);
}

CommandLine parse_command_line(int argc, char** argv, int& exit_now) {
  exit_now = -1;
  Grammar g;
  CommandLine& cl = g.cl;
  AcquireOptions& a = cl.acquire;
  CLI::App& app = g.app;
  const std::string first = argc > 1 ? argv[1] : "";
  if (!first.empty() && first[0] != '-' && first != "acquire" && first != "verify" && first != "info" &&
      first != "export" && first != "devices" && first != "report" && first != "serve") {
    std::fprintf(stderr,
                 "exhibit: error: unknown command '%s' (commands: acquire, verify, info, export, devices, report, "
                 "serve; see "
                 "exhibit --help)\n",
                 argv[1]);
    exit_now = k_exit_usage;
    return cl;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    exit_now = app.exit(e) == 0 ? k_exit_ok : k_exit_usage;
    return cl;
  }
  if (g.acq->parsed()) {
    cl.command = Command::Acquire;
    a.segment_size = g.segment_size.empty() ? 0 : *parse_size(g.segment_size);
    a.format = *format_from_name(g.format);  // checked by the parser against the same table
    a.compression = *compression_from_name(g.compression);
    auto usage = [&](const char* message) {
      std::fprintf(stderr, "exhibit: error: %s (see exhibit --help)\n", message);
      exit_now = k_exit_usage;
      return cl;
    };
    const bool zero_segments = !g.segment_size.empty() && a.segment_size == 0;
    if (a.format == ImageFormat::Raw) {
      a.one_file = zero_segments;
      if (g.acq->count("--compression") > 0)
        return usage("--compression does not apply to --format raw (raw images are not compressed)");
    } else if (zero_segments) {
      return usage("--segment-size 0 (one file) is for --format raw only");
    }
    if (a.format == ImageFormat::Zst) {
      if (!g.segment_size.empty()) return usage("--segment-size does not apply to --format zst (one file, BASE.zst)");
      if (!g.read_size.empty()) return usage("--read-size does not apply to --format zst (a frame is one 4MiB read)");
      if (a.compression == Compression::None || a.compression == Compression::EmptyBlock) {
        return usage("--format zst compresses: use --compression fast or best, or --format raw for no compression");
      }
    }
    if (!g.verify.empty()) a.verify = g.verify == "source" ? VerifyAfter::Source : VerifyAfter::Image;
    a.piece_size = *parse_size(g.piece_size);
    if (!g.read_size.empty()) a.read_size = *parse_size(g.read_size);
    a.piece_size_given = g.acq->count("--piece-size") > 0;
    // 0 means "the default" to the library; on the command line it is no chunk size at all.
    if (g.acq->count("--chunk-sectors") > 0 && a.chunk_sectors == 0) {
      return usage("--chunk-sectors 0 is not a chunk size: give a power of two from 1 to 65536, or leave it out");
    }
    if (auto epoch = parse_source_date_epoch(std::getenv("SOURCE_DATE_EPOCH"))) {
      a.source_date_epoch = *epoch;
    } else {
      std::fprintf(stderr, "exhibit: error: %s\n", epoch.error().message().c_str());
      exit_now = k_exit_usage;
      return cl;
    }
    a.digests = {"md5"};
    std::stringstream ss(g.hashes);
    std::string name;
    while (std::getline(ss, name, ',')) {
      if (name.empty()) continue;
      if (!canonical_digest_algorithm(name)) {
        std::fprintf(stderr, "exhibit: error: --hash: unknown digest algorithm '%s'\n", name.c_str());
        exit_now = k_exit_usage;
        return cl;
      }
      a.digests.push_back(name);
    }
  } else if (g.ver->parsed()) {
    cl.command = Command::Verify;
    if (!cl.images.empty()) cl.image = cl.images.front();  // one image: verify as always
  } else if (g.inf->parsed()) {
    cl.command = Command::Info;
  } else if (g.dev->parsed()) {
    cl.command = Command::Devices;
  } else if (g.rep->parsed()) {
    cl.command = Command::Report;
  } else if (g.srv->parsed()) {
    cl.command = Command::Serve;
  } else if (g.exp->parsed()) {
    cl.command = Command::Export;
    if (!g.export_offset.empty()) cl.export_options.offset = *parse_size(g.export_offset);
    if (!g.export_length.empty()) cl.export_options.length = *parse_size(g.export_length);
  }
  return cl;
}

std::string quoted_command_line(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    std::string word = i == 0 ? "exhibit" : argv[i];
    if (!out.empty()) out += ' ';
    if (!word.empty() &&
        word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./+=:,@") ==
            std::string::npos) {
      out += word;
      continue;
    }
    out += '\'';
    for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

std::string flag_of(Setting s) {
  switch (s) {
    case Setting::Force: return "--force";
    case Setting::Resume: return "--resume";
    case Setting::AllowMounted: return "--allow-mounted";
    case Setting::SectorSize: return "--sector-size";
    case Setting::ChunkSectors: return "--chunk-sectors";
    case Setting::SegmentSize: return "--segment-size";
    case Setting::PieceSize: return "--piece-size";
    case Setting::Threads: return "--threads";
    case Setting::QueueDepth: return "--queue-depth";
    case Setting::ReadSize: return "--read-size";
    case Setting::CaseNumber: return "--case-number";
    case Setting::EvidenceNumber: return "--evidence-number";
    case Setting::Examiner: return "--examiner";
    case Setting::Description: return "--description";
    case Setting::Notes: return "--notes";
    case Setting::SignKey: return "--sign-key";
    case Setting::SignCert: return "--sign-cert";
    case Setting::Report: return "--report";
    case Setting::Trust: return "--trust";
    case Setting::PublicKey: return "--pubkey";
    case Setting::RequireSignature: return "--require-signature";
    case Setting::Offset: return "--offset";
    case Setting::Length: return "--length";
  }
  return "?";
}

}  // namespace exhibit::cli
