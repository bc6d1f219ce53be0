#include "oracles.hpp"

#include <filesystem>
#include <regex>
#include <sstream>

#include "test_support.hpp"

namespace exhibit::test {

std::string field_after(const std::string& text, const std::string& key) {
  auto pos = text.find(key);
  if (pos == std::string::npos) return {};
  pos += key.size();
  auto end = text.find('\n', pos);
  std::string v = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  size_t b = v.find_first_not_of(" \t");
  size_t e = v.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : v.substr(b, e - b + 1);
}

std::vector<SectorRange> ewfinfo_error_ranges(const std::string& text) {
  std::vector<SectorRange> out;
  std::regex re(R"(at sector\(s\): (\d+) - (\d+) number: (\d+))");
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) {
    out.push_back({std::stoull((*it)[1]), std::stoull((*it)[3])});
  }
  return out;
}

size_t line_count(const std::string& text) {
  size_t n = 0;
  for (char c : text) n += c == '\n';
  if (!text.empty() && text.back() != '\n') ++n;
  return n;
}

// The table rows of ../shared/interop/README.md: file(s) | made by | notes | bytes | MD5 | SHA-1 | SHA-256 | expected.
std::vector<InteropRow> interop_rows(const std::string& dir) {
  std::vector<InteropRow> rows;
  std::stringstream in(read_file(dir + "/README.md"));
  std::string line;
  while (std::getline(in, line)) {
    const size_t ext = line.find(".E01") != std::string::npos ? line.find(".E01") : line.find(".Ex01");
    if (line.rfind("| ", 0) != 0 || ext == std::string::npos) continue;
    std::vector<std::string> cells;
    std::stringstream ls(line.substr(1));
    std::string cell;
    while (std::getline(ls, cell, '|')) {
      size_t b = cell.find_first_not_of(' ');
      size_t e = cell.find_last_not_of(' ');
      cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
    }
    if (cells.size() < 8) continue;
    InteropRow row;
    row.ewf2 = cells[0].find(".Ex01") != std::string::npos && cells[0].find(".E01") == std::string::npos;
    row.first_file = row.ewf2 ? cells[0].substr(0, cells[0].find(".Ex01") + 5)
                              : cells[0].substr(0, cells[0].find(".E01") + 4);
    row.md5 = cells[4];
    row.sha1 = cells[5];
    row.sha256 = cells[6];
    row.expected = cells[7];
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::string> repeat_commands(const std::string& verify_output) {
  std::vector<std::string> out;
  const auto at = verify_output.find("repeat with independent tools:\n");
  if (at == std::string::npos) return out;
  std::stringstream ss(verify_output.substr(at));
  std::string line;
  std::getline(ss, line);
  while (std::getline(ss, line) && line.rfind("  ", 0) == 0) out.push_back(line.substr(2));
  return out;
}

bool have_jsonschema() { return have_tool("python3") && run("python3 -c 'import jsonschema'").exit_code == 0; }

std::string output_schema_errors(const std::string& document, const std::string& scratch) {
  write_file(scratch + "/doc.json", document);
  auto r = run(
      "python3 -c 'import json, sys, jsonschema\n"
      "schema = json.load(open(sys.argv[1]))\n"
      "jsonschema.Draft202012Validator.check_schema(schema)\n"
      "jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2], encoding=\"utf-8\")))' " +
      sh_quote(std::string(EXHIBIT_SOURCE_DIR) + "/docs/output.schema.json") + " " + sh_quote(scratch + "/doc.json"));
  return r.exit_code == 0 ? "" : r.out + r.err;
}

std::string chromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    if (have_tool(name)) return name;
  }
  return "";
}

CommandResult render(const std::string& browser, const std::string& html, const std::string& screenshot) {
  std::string cmd = "timeout 120 " + browser + " --headless --no-sandbox --disable-gpu --no-first-run " +
                    "--enable-logging=stderr --v=0 ";
  if (!screenshot.empty()) cmd += "--window-size=1200,1800 --screenshot=" + sh_quote(screenshot) + " ";
  else cmd += "--dump-dom ";
  return run(cmd + sh_quote("file://" + html));
}

CommandResult print_to_pdf(const std::string& browser, const std::string& html, const std::string& pdf) {
  return run("timeout 120 " + browser + " --headless --no-sandbox --disable-gpu --no-first-run " +
             "--enable-logging=stderr --v=0 --no-pdf-header-footer --print-to-pdf=" + sh_quote(pdf) + " " +
             sh_quote("file://" + html));
}

unsigned pdf_pages(const std::string& pdf) {
  auto info = run("pdfinfo " + sh_quote(pdf));
  const std::string pages = field_after(info.out, "Pages:");
  return info.exit_code == 0 && !pages.empty() ? static_cast<unsigned>(std::stoul(pages)) : 0;
}

std::string pdf_page_text(const std::string& pdf, unsigned page) {
  const std::string p = std::to_string(page);
  return run("pdftotext -f " + p + " -l " + p + " " + sh_quote(pdf) + " -").out;
}

bool pdf_page_png(const std::string& pdf, unsigned page, const std::string& png) {
  const std::string p = std::to_string(page);
  // pdftoppm adds ".png" to the name it is given.
  const std::string stem = png.size() > 4 ? png.substr(0, png.size() - 4) : png;
  return run("pdftoppm -png -r 80 -singlefile -f " + p + " -l " + p + " " + sh_quote(pdf) + " " + sh_quote(stem))
                 .exit_code == 0 &&
         std::filesystem::exists(png);
}

std::string artefact_dir() {
  const std::string dir = std::string(EXHIBIT_SCRATCH_DIR) + "/../test-artefacts";
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace exhibit::test
