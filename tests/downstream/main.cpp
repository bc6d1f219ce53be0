// read_image IMAGE [OFFSET LENGTH]: what a program linking exhibit sees of an image, through the
// public headers only: its format, media size, and the MD5 of its media bytes (of LENGTH bytes
// from OFFSET when given), read in pieces that do not line up with the image's units.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <exhibit/digest.hpp>
#include <exhibit/reader.hpp>

int main(int argc, char** argv) {
  if (argc != 2 && argc != 4) {
    std::fprintf(stderr, "usage: read_image IMAGE [OFFSET LENGTH]\n");
    return 2;
  }
  auto reader = exhibit::ImageReader::open(argv[1]);
  if (!reader) {
    std::fprintf(stderr, "read_image: %s\n", reader.error().message().c_str());
    return 1;
  }
  const uint64_t media = reader->media_size();
  uint64_t offset = argc == 4 ? std::strtoull(argv[2], nullptr, 10) : 0;
  const uint64_t end = argc == 4 ? offset + std::strtoull(argv[3], nullptr, 10) : media;
  auto md5 = exhibit::DigestSet::create({"md5"});
  if (!md5) return 1;
  std::vector<unsigned char> buffer(300000);  // not a multiple of any unit size
  while (offset < end) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), end - offset));
    auto n = reader->read(offset, buffer.data(), want);
    if (!n) {
      std::fprintf(stderr, "read_image: %s\n", n.error().message().c_str());
      return 1;
    }
    if (*n == 0) break;  // past the end of the media
    md5->update(buffer.data(), *n);
    offset += *n;
  }
  std::printf("format %s\n", reader->info().format.c_str());
  std::printf("media size %llu\n", static_cast<unsigned long long>(media));
  std::printf("md5 %s\n", md5->finish().front().hex.c_str());
  return 0;
}
