#include "util/units.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace exhibit {

namespace {

std::optional<long double> unit_factor(std::string unit) {
  for (auto& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (unit.empty() || unit == "b") return 1.0L;
  const std::string letters = "kmgtp";
  if (unit.size() > 3) return std::nullopt;
  auto pos = letters.find(unit[0]);
  if (pos == std::string::npos) return std::nullopt;
  std::string rest = unit.substr(1);
  long double base;
  if (rest.empty() || rest == "b") {
    base = 1000.0L;
  } else if (rest == "ib") {
    base = 1024.0L;
  } else {
    return std::nullopt;
  }
  return std::pow(base, static_cast<long double>(pos + 1));
}

}  // namespace

std::optional<uint64_t> parse_size(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  std::string number(text.substr(0, i));
  std::string unit(text.substr(i));
  if (number.empty() || number == "." || number.find('.') != number.rfind('.')) return std::nullopt;
  auto factor = unit_factor(unit);
  if (!factor) return std::nullopt;
  if (*factor == 1.0L && number.find('.') != std::string::npos) return std::nullopt;  // no fractional bytes
  if (*factor == 1.0L) {
    // Plain integers keep full 64-bit precision.
    if (number.size() > 20) return std::nullopt;
    uint64_t v = 0;
    for (char c : number) {
      uint64_t d = static_cast<uint64_t>(c - '0');
      if (v > (UINT64_MAX - d) / 10) return std::nullopt;
      v = v * 10 + d;
    }
    return v;
  }
  long double value = std::strtold(number.c_str(), nullptr) * *factor;
  if (!(value >= 0) || value >= 18446744073709551615.0L) return std::nullopt;
  return static_cast<uint64_t>(std::floor(value));
}

std::string format_bytes(uint64_t bytes) {
  static const char* const k_units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 6) {
    v /= 1024.0;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", v, k_units[u]);
  }
  return buf;
}

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e9) return "?";
  auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lldh%02lldm%02llds", s / 3600, s / 60 % 60, s % 60);
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%llds", s);
  }
  return buf;
}

}  // namespace exhibit
