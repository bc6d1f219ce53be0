// verify_repeat_commands (exhibit/verify.hpp): what verify checked, as commands of other tools,
// for the text output, --json and the HTML report alike.
#include "exhibit/verify.hpp"

#include "image/independent_read.hpp"
#include "util/text.hpp"

namespace exhibit {

namespace {

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::vector<std::string> verify_repeat_commands(const std::string& image_path, const VerifyReport& r) {
  using util::shell_quote;
  const image::IndependentRead read = image::independent_read(image_path, r.info);
  std::vector<std::string> out = read.checks;
  const std::string& media = read.media;  // the media bytes on stdout, by a tool that is not ours
  out.push_back(media + " | sha256sum");
  if (!r.checksums_file.empty()) {
    out.push_back("(cd " + shell_quote(folder_of(r.checksums_file)) + " && sha256sum -c " +
                  shell_quote(util::file_name(r.checksums_file)) + ")");
  }
  for (const auto& c : r.signatures) {
    if (!c.repeat.empty()) out.push_back(c.repeat);
  }
  if (r.source)
    out.push_back(media + " | head -c " + std::to_string(r.source->size) + " | cmp - " +
                  (r.source->independent_read.empty() ? shell_quote(r.source->path) : r.source->independent_read));
  for (const auto& m : r.piece_mismatches) {
    out.push_back(media + " | tail -c +" + std::to_string(m.offset + 1) + " | head -c " + std::to_string(m.length) +
                  " | sha256sum");
  }
  return out;
}

}  // namespace exhibit
