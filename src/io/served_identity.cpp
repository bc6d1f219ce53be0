#include "io/served_identity.hpp"

#include <nlohmann/json.hpp>

#include "util/bounded_input.hpp"
#include "util/text.hpp"

namespace exhibit::io {

using nlohmann::json;

namespace {

constexpr const char* k_format = "exhibit-served-device";

std::string text_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? util::sanitize_for_terminal(it->get<std::string>()) : std::string();
}

uint64_t number_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

}  // namespace

bool is_sector_size(uint64_t v) { return v >= 512 && v <= 65536 && (v & (v - 1)) == 0; }

std::string served_identity_text(const SourceInfo& d, const WriteBlockRecord& wb, const std::string& host,
                                 const std::string& tool) {
  json j = {{"format", k_format},
            {"format_version", 1},
            {"host", host},
            {"device", d.path},
            {"size", d.size},
            {"logical_sector_size", d.logical_sector_size},
            {"physical_sector_size", d.physical_sector_size},
            {"vendor", d.vendor},
            {"model", d.model},
            {"serial", d.serial},
            {"firmware", d.firmware},
            {"transport", d.transport},
            {"removable", d.removable},
            {"drive",
             {{"method", d.drive.method},
              {"status", d.drive.status},
              {"native_sectors", d.drive.native_sectors},
              {"hpa_sectors", d.drive.hpa_sectors},
              {"dco_sectors", d.drive.dco_sectors}}},
            {"served_by", tool},
            {"write_block", json::array()}};
  for (const auto& e : wb.events) j["write_block"].push_back(e);
  // NBD carries at most 4096 bytes: the write-block steps go first, then the drive's status text.
  auto text = [&] { return j.dump(-1, ' ', false, json::error_handler_t::replace); };
  while (text().size() > k_nbd_max_string && !j["write_block"].empty())
    j["write_block"].erase(j["write_block"].size() - 1);
  if (text().size() > k_nbd_max_string) j["drive"]["status"] = "";
  return text();
}

Status apply_served_identity(const std::string& description, uint64_t export_size, SourceInfo& info) {
  RemoteSource& r = info.remote;
  r.description = util::sanitize_for_terminal(description.substr(0, k_nbd_max_string));
  auto parsed = util::parse_bounded_json(description, "export description", 2000);
  if (!parsed || !parsed->is_object() || text_of(*parsed, "format") != k_format) return Ok{};
  const json& j = *parsed;
  const uint64_t size = number_of(j, "size");
  if (size != export_size) {
    return Error(ErrorCode::InvalidArgument, "the server describes " + text_of(j, "device") + " as " +
                                                 std::to_string(size) + " bytes but serves " +
                                                 std::to_string(export_size) + ": not the device it names");
  }
  r.described_by_exhibit = true;
  r.host = text_of(j, "host");
  r.device = text_of(j, "device");
  r.served_by = text_of(j, "served_by");
  if (auto wb = j.find("write_block"); wb != j.end() && wb->is_array()) {
    for (const auto& e : *wb) {
      if (e.is_string()) r.write_block.push_back(util::sanitize_for_terminal(e.get<std::string>()));
    }
  }
  const uint64_t logical = number_of(j, "logical_sector_size");
  const uint64_t physical = number_of(j, "physical_sector_size");
  if (is_sector_size(logical) && export_size % logical == 0) {
    info.logical_sector_size = static_cast<uint32_t>(logical);
    info.physical_sector_size = is_sector_size(physical) ? static_cast<uint32_t>(physical) : info.logical_sector_size;
  }
  info.vendor = text_of(j, "vendor");
  info.model = text_of(j, "model");
  info.serial = text_of(j, "serial");
  info.firmware = text_of(j, "firmware");
  info.transport = text_of(j, "transport");
  if (auto it = j.find("removable"); it != j.end() && it->is_boolean()) info.removable = it->get<bool>();
  if (auto d = j.find("drive"); d != j.end() && d->is_object()) {
    info.drive.method = text_of(*d, "method");
    info.drive.status = text_of(*d, "status");
    info.drive.native_sectors = number_of(*d, "native_sectors");
    info.drive.hpa_sectors = number_of(*d, "hpa_sectors");
    info.drive.dco_sectors = number_of(*d, "dco_sectors");
  }
  return Ok{};
}

}  // namespace exhibit::io
