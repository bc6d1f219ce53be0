// exhibit-docs: the manual pages and the bash completion, written at build time from the
// command line's grammar (grammar.hpp), the same definition --help prints, so neither can drift.
//   exhibit-docs man FOLDER          exhibit.1 and exhibit-COMMAND.1 for each command
//   exhibit-docs completion FILE     the bash completion of exhibit
// The pages' date is SOURCE_DATE_EPOCH's when set (a reproducible package), else today's.
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "exhibit/version.hpp"
#include "grammar.hpp"

namespace exhibit::cli {
namespace {

// Text as roff: backslashes and dashes escaped, no line that starts with a control character.
std::string roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
    line_start = c == '\n';
  }
  return out;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string page_date() {
  std::time_t t = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    t = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

bool is_flag(const CLI::Option* o) { return o->get_type_size_max() == 0; }

// "--format", "-o, --output": the option's names as a person types them.
std::string names(const CLI::Option* o) {
  std::string out;
  for (const auto& s : o->get_snames()) out += (out.empty() ? "-" : ", -") + s;
  for (const auto& l : o->get_lnames()) out += (out.empty() ? "--" : ", --") + l;
  return out;
}

// "TEXT", "UINT", or the value's choices ("e01|raw|zst") when the grammar checks them against a set.
std::string value_name(const CLI::Option* o) {
  const std::string t = o->get_type_name();
  const auto open = t.find('{');
  const auto close = t.find('}');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    std::string choices = t.substr(open + 1, close - open - 1);
    for (char& c : choices) c = c == ',' ? '|' : c;
    return choices;
  }
  return t.substr(0, t.find(':'));
}

std::vector<CLI::App*> commands(Grammar& g) { return {g.acq, g.ver, g.inf, g.exp, g.dev, g.rep, g.srv}; }

// A footer's paragraphs: "Heading: text" paragraphs under their own section, the rest in DESCRIPTION.
struct Paragraph {
  std::string section, text;
};
std::vector<Paragraph> paragraphs(const std::string& footer) {
  std::vector<Paragraph> out;
  size_t at = 0;
  while (at < footer.size()) {
    size_t end = footer.find("\n\n", at);
    if (end == std::string::npos) end = footer.size();
    std::string p = footer.substr(at, end - at);
    at = end + 2;
    if (p.empty()) continue;
    std::string section = "DESCRIPTION";
    for (const char* s : {"Environment", "Files", "Exit codes"}) {
      const std::string head = std::string(s) + ":";
      if (p.rfind(head, 0) == 0) {
        section = s == std::string("Exit codes") ? "EXIT STATUS" : upper(s);
        p = p.substr(head.size());
        while (!p.empty() && (p[0] == ' ' || p[0] == '\n')) p.erase(0, 1);
      }
    }
    out.push_back({section, p});
  }
  return out;
}

// The exit codes, as --help lists them ("  0  success ..."), as a roff list.
std::string exit_status() {
  std::string out = ".SH EXIT STATUS\n";
  std::istringstream in(k_exit_code_help);
  std::string line;
  while (std::getline(in, line)) {
    const auto digit = line.find_first_not_of(' ');
    if (digit == std::string::npos || !std::isdigit(static_cast<unsigned char>(line[digit]))) continue;
    const auto text = line.find_first_not_of(' ', digit + 1);
    out += ".TP\n.B " + line.substr(digit, 1) + "\n" + roff(line.substr(text)) + "\n";
  }
  return out;
}

std::string header(const std::string& name, const std::string& summary) {
  return ".TH " + upper(name) + " 1 \"" + page_date() + "\" \"exhibit " + build_info().version +
         "\" \"User Commands\"\n.SH NAME\n" + roff(name) + " \\- " + roff(summary) + "\n";
}

std::string see_also(Grammar& g, const std::string& self) {
  std::string out = ".SH SEE ALSO\n";
  std::vector<std::string> pages = {"exhibit"};
  for (auto* c : commands(g)) pages.push_back("exhibit-" + c->get_name());
  for (const auto& p : pages) {
    if (p != self) out += ".BR " + roff(p) + " (1),\n";
  }
  return out + ".BR ewfverify (1),\n.BR ewfacquire (1),\n.BR sha256sum (1)\n";
}

std::string command_page(Grammar& g, CLI::App* c) {
  const std::string name = "exhibit-" + c->get_name();
  std::string synopsis = ".SH SYNOPSIS\n.B exhibit " + c->get_name() + "\n";
  std::string options = ".SH OPTIONS\n";
  for (const CLI::Option* o : c->get_options()) {
    if (o->get_positional()) {
      synopsis += (o->get_required() ? ".I " : "[\\fI") + roff(upper(o->get_name(true))) +
                  (o->get_items_expected_max() > 1 ? "..." : "") + (o->get_required() ? "\n" : "\\fR]\n");
      options += ".TP\n.I " + roff(upper(o->get_name(true))) + "\n" + roff(o->get_description()) + "\n";
      continue;
    }
    if (o->get_required()) {
      synopsis += ".B " + roff(names(o).substr(0, names(o).find(','))) + "\n.I " + roff(value_name(o)) + "\n";
    }
    options += ".TP\n.B " + roff(names(o)) + (is_flag(o) ? "" : " \\fI" + roff(value_name(o)) + "\\fR") + "\n" +
               roff(o->get_description());
    if (!o->get_default_str().empty()) options += " (default: " + roff(o->get_default_str()) + ")";
    options += "\n";
  }
  synopsis += "[\\fIOPTIONS\\fR]\n";
  std::string description = ".SH DESCRIPTION\n" + roff(c->get_description()) + ".\n";
  std::string extra;
  for (const auto& p : paragraphs(c->get_footer())) {
    if (p.section == "DESCRIPTION") description += ".PP\n" + roff(p.text) + "\n";
    else extra += ".SH " + p.section + "\n" + roff(p.text) + "\n";
  }
  return header(name, c->get_description()) + synopsis + description + options + exit_status() + extra +
         see_also(g, name);
}

std::string main_page(Grammar& g) {
  std::string out = header("exhibit", g.app.get_description().substr(g.app.get_description().find(": ") + 2));
  out += ".SH SYNOPSIS\n.B exhibit\n.I COMMAND\n[\\fIOPTIONS\\fR]\n.br\n.B exhibit \\-\\-version\n";
  out += ".SH DESCRIPTION\n" + roff(g.app.get_description()) + ". Each command has its own page, and --help.\n";
  out += ".SH COMMANDS\n";
  for (auto* c : commands(g)) {
    out += ".TP\n.BR exhibit\\-" + roff(c->get_name()) + " (1)\n" + roff(c->get_description()) + "\n";
  }
  out += ".SH OPTIONS\n.TP\n.B \\-h, \\-\\-help\nprint the commands, or with a command its options\n";
  out += ".TP\n.B \\-\\-version\nprint the version, the commit it was built from and the libraries it runs with\n";
  return out + exit_status() + see_also(g, "exhibit");
}

bool write(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  return static_cast<bool>(f.flush());
}

// "-o|--output": the option's names as a case pattern.
std::string pattern(const CLI::Option* o) {
  std::string out;
  for (const auto& s : o->get_snames()) out += (out.empty() ? "-" : "|-") + s;
  for (const auto& l : o->get_lnames()) out += (out.empty() ? "--" : "|--") + l;
  return out;
}

// One command's case in the completion: after an option that takes a value, its choices (when
// the grammar checks it against a set) or file names; else its options, or its positional values.
std::string command_case(CLI::App* c) {
  std::string opts, file_values, out = "    " + c->get_name() + ")\n      case $prev in\n";
  for (const CLI::Option* o : c->get_options()) {
    if (o->get_positional()) continue;
    opts += " " + pattern(o);
    if (is_flag(o)) continue;
    std::string choices = value_name(o);
    if (choices.find('|') == std::string::npos) {
      file_values += (file_values.empty() ? "" : "|") + pattern(o);
      continue;
    }
    for (char& ch : choices) ch = ch == '|' ? ' ' : ch;
    out += "        " + pattern(o) + ") COMPREPLY=($(compgen -W '" + choices + "' -- \"$cur\")); return ;;\n";
  }
  for (char& ch : opts) ch = ch == '|' ? ' ' : ch;
  if (!file_values.empty()) out += "        " + file_values + ") _exhibit_files; return ;;\n";
  const std::string name = c->get_name();
  const std::string positional = name == "acquire" || name == "serve" ? "_exhibit_sources"
                                 : name == "report"                   ? "_exhibit_results"
                                 : name == "devices"                  ? ":"
                                                                      : "_exhibit_images";
  return out + "      esac\n      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W '" + opts.substr(1) +
         " --help' -- \"$cur\"))\n      else " + positional + "; fi ;;\n";
}

// The completion: commands, each command's options, the values a grammar checks against a set,
// block devices where a source is asked, image files where an image is.
std::string completion(Grammar& g) {
  std::string cmds, cases;
  for (auto* c : commands(g)) {
    cmds += (cmds.empty() ? "" : " ") + c->get_name();
    cases += command_case(c);
  }
  std::string out =
      "# bash completion for exhibit, written at build time from its command line (exhibit-docs).\n"
      "_exhibit_files() { compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); }\n"
      "# A source: block devices (disks, partitions, loop devices), or any file.\n"
      "_exhibit_sources() {\n"
      "  compopt -o filenames 2>/dev/null\n"
      "  local devs\n"
      "  devs=$(lsblk -dpnro NAME 2>/dev/null; lsblk -pnro NAME,TYPE 2>/dev/null | awk '$2 == \"part\" {print $1}')\n"
      "  COMPREPLY=($(compgen -W \"$devs\" -- \"$cur\") $(compgen -f -- \"$cur\"))\n"
      "}\n"
      "# An image: its first file (E01, Ex01, 001, raw, zst), or a folder (verify takes folders).\n"
      "_exhibit_images() {\n"
      "  compopt -o filenames 2>/dev/null\n"
      "  COMPREPLY=($(compgen -d -- \"$cur\") $(compgen -f -X '!*.@(E01|e01|Ex01|ex01|001|raw|zst)' -- \"$cur\"))\n"
      "}\n"
      "_exhibit_results() {\n"
      "  compopt -o filenames 2>/dev/null\n"
      "  COMPREPLY=($(compgen -d -- \"$cur\") $(compgen -f -X '!*.jsonl' -- \"$cur\"))\n"
      "}\n"
      "_exhibit() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} opts\n"
      "  shopt -s extglob\n"
      "  if ((COMP_CWORD == 1)); then\n"
      "    COMPREPLY=($(compgen -W '" +
      cmds +
      " --help --version' -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  case ${COMP_WORDS[1]} in\n" +
      cases +
      "  esac\n"
      "}\n"
      "complete -F _exhibit exhibit\n";
  return out;
}

}  // namespace
}  // namespace exhibit::cli

int main(int argc, char** argv) {
  using namespace exhibit::cli;
  const std::string what = argc == 3 ? argv[1] : "";
  Grammar g;
  if (what == "man") {
    const std::string dir = argv[2];
    bool ok = write(dir + "/exhibit.1", main_page(g));
    for (auto* c : commands(g)) ok = ok && write(dir + "/exhibit-" + c->get_name() + ".1", command_page(g, c));
    return ok ? 0 : 1;
  }
  if (what == "completion") return write(argv[2], completion(g)) ? 0 : 1;
  std::fprintf(stderr, "usage: exhibit-docs man FOLDER | completion FILE\n");
  return 2;
}
