// libFuzzer target over what a drive says about itself (io/identify_parse): ATA IDENTIFY DEVICE,
// DEVICE CONFIGURATION IDENTIFY, the ATA Status Return sense descriptor, NVMe Identify Controller
// and Namespace, SCSI INQUIRY and its Unit Serial Number page. A drive, a USB bridge or a faulty
// adapter can answer anything. The first byte picks the parser, the rest is the response; the
// fixed-size blocks get exactly their size (zero-padded), the others exactly the bytes given, in
// a buffer of their own so that AddressSanitizer sees any read past them. Any crash, leak or
// sanitizer report is a finding, and so is a result outside what the parser promises.
// Built by tools/fuzz with clang, -fsanitize=fuzzer,address,undefined; seeds in corpus/identify.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "io/identify_parse.hpp"

namespace {

using namespace exhibit::io;

// The response as the parser gets it: `size` bytes of their own, the input then zeros.
std::unique_ptr<uint8_t[]> block_of(const uint8_t* data, size_t n, size_t size) {
  auto b = std::make_unique<uint8_t[]>(size);
  std::memcpy(b.get(), data, std::min(n, size));
  return b;
}

bool printable(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

void check_strings(const std::string& a, const std::string& b, const std::string& c) {
  if (!printable(a) || !printable(b) || !printable(c)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t* body = data + 1;
  const size_t n = size - 1;
  switch (data[0] % 7) {
    case 0: {
      const auto b = block_of(body, n, 512);
      if (auto id = parse_ata_identify(b.get())) check_strings(id->model, id->serial, id->firmware);
      break;
    }
    case 1: {
      const auto b = block_of(body, n, 512);
      (void)parse_dco_max_lba(b.get());
      break;
    }
    case 2: {
      const auto b = block_of(body, n, n);
      const auto lba = parse_ata_return_lba(b.get(), n);
      // The hidden-area arithmetic with the answer as native and DCO maximum, at any user size.
      uint64_t user = 0;
      if (n >= 8) std::memcpy(&user, body, 8);
      (void)hidden_areas(user, lba, lba);
      break;
    }
    case 3: {
      const auto b = block_of(body, n, 4096);
      if (auto c = parse_nvme_controller(b.get())) check_strings(c->model, c->serial, c->firmware);
      break;
    }
    case 4: {
      const auto b = block_of(body, n, 4096);
      if (auto ns = parse_nvme_namespace(b.get())) {
        if (ns->block_size < 512 || (ns->block_size & (ns->block_size - 1)) != 0) std::abort();
      }
      break;
    }
    case 5: {
      const auto b = block_of(body, n, n);
      if (auto q = parse_scsi_inquiry(b.get(), n)) check_strings(q->vendor, q->product, q->revision);
      break;
    }
    default: {
      const auto b = block_of(body, n, n);
      if (auto s = parse_scsi_serial_page(b.get(), n)) check_strings(*s, "", "");
      break;
    }
  }
  return 0;
}
