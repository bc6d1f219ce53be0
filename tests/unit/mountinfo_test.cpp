#include <gtest/gtest.h>

#include "io/device_info.hpp"

TEST(ParseMountinfo, ReadWriteAndEscapes) {
  const std::string text =
      "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
      "40 22 7:3 / /mnt/with\\040space ro,relatime shared:5 - ext4 /dev/loop3 ro\n"
      "41 22 8:17 / /media/usb rw,nosuid - vfat /dev/sdb1 rw,fmask=0022\n"
      "42 22 8:18 / /media/ro-super rw - ext4 /dev/sdb2 ro\n"
      "garbage\n";
  auto m = exhibit::io::parse_mountinfo(text);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].device, "254:0");
  EXPECT_TRUE(m[0].read_write);
  EXPECT_EQ(m[1].mount_point, "/mnt/with space");
  EXPECT_FALSE(m[1].read_write);
  EXPECT_EQ(m[2].mount_point, "/media/usb");
  EXPECT_TRUE(m[2].read_write);
  EXPECT_FALSE(m[3].read_write);  // the file system itself is read-only
}
