// Tests the Video4Linux2 ioctls decoded so far (decode/ioctl/v4l2.hpp): request numbers and
// struct layouts from linux/videodev2.h, and lines as strace 6.1's tests/ioctl_v4l2.c and
// ioctl_v4l2-success.c expect them.
#include <catch2/catch.hpp>

#include <linux/videodev2.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fake_memory.hpp"
#include "ioctl_test_support.hpp"

using snare::test::call;
using snare::test::fake_memory;
namespace d = snare::format::detail;

namespace {
using snare::test::ebadf;
using snare::test::minus1;

}  // namespace

TEST_CASE("v4l2 ioctl numbers and layouts are linux/videodev2.h's", "[format][ioctl][v4l2]") {
  auto code_of = [](std::string_view name) { return snare::test::ioctl_code(d::v4l2_ioctls, name); };
  CHECK(code_of("VIDIOC_QUERYCAP") == VIDIOC_QUERYCAP);
  CHECK(code_of("VIDIOC_STREAMON") == VIDIOC_STREAMON);
  CHECK(code_of("VIDIOC_STREAMOFF") == VIDIOC_STREAMOFF);
  CHECK(code_of("VIDIOC_G_STD") == VIDIOC_G_STD);
  CHECK(code_of("VIDIOC_S_STD") == VIDIOC_S_STD);
  CHECK(code_of("VIDIOC_G_INPUT") == VIDIOC_G_INPUT);
  CHECK(code_of("VIDIOC_S_INPUT") == VIDIOC_S_INPUT);
  CHECK(code_of("VIDIOC_G_FBUF") == VIDIOC_G_FBUF);
  CHECK(code_of("VIDIOC_S_FBUF") == VIDIOC_S_FBUF);
  CHECK(code_of("VIDIOC_ENUMSTD") == VIDIOC_ENUMSTD);
  CHECK(code_of("VIDIOC_ENUMINPUT") == VIDIOC_ENUMINPUT);
  CHECK(code_of("VIDIOC_ENUM_FMT") == VIDIOC_ENUM_FMT);
  CHECK(code_of("VIDIOC_REQBUFS") == VIDIOC_REQBUFS);
  CHECK(code_of("VIDIOC_CROPCAP") == VIDIOC_CROPCAP);
  CHECK(code_of("VIDIOC_G_CROP") == VIDIOC_G_CROP);
  CHECK(code_of("VIDIOC_S_CROP") == VIDIOC_S_CROP);
  STATIC_REQUIRE(offsetof(v4l2_cropcap, defrect) == 20);
  STATIC_REQUIRE(offsetof(v4l2_cropcap, pixelaspect) == 36);
  STATIC_REQUIRE(offsetof(v4l2_crop, c) == 4);
  STATIC_REQUIRE(offsetof(v4l2_fmtdesc, description) == 12);
  STATIC_REQUIRE(offsetof(v4l2_fmtdesc, pixelformat) == 44);
  STATIC_REQUIRE(offsetof(v4l2_capability, version) == 80);
  STATIC_REQUIRE(offsetof(v4l2_capability, device_caps) == 88);
  STATIC_REQUIRE(offsetof(v4l2_input, type) == 36);
  STATIC_REQUIRE(offsetof(v4l2_standard, name) == 16);
  STATIC_REQUIRE(offsetof(v4l2_standard, frameperiod) == 40);
  STATIC_REQUIRE(offsetof(v4l2_standard, framelines) == 48);
  STATIC_REQUIRE(offsetof(v4l2_framebuffer, base) == 8);
  // The requests not decoded yet print by name, as strace's table names them.
  std::string name;
  d::put_ioctl_name(name, VIDIOC_OVERLAY);
  CHECK(name == "VIDIOC_OVERLAY");
}

TEST_CASE("v4l2 ioctls print their argument as strace's", "[format][ioctl][v4l2]") {
  using snare::format::xlat_style;
  fake_memory mem;
  CHECK(call("ioctl", {minus1, VIDIOC_QUERYCAP, 0}, -9, mem) == "ioctl(-1, VIDIOC_QUERYCAP, NULL)" + ebadf);
  CHECK(call("ioctl", {minus1, VIDIOC_ENUMINPUT, 0}, -9, mem) == "ioctl(-1, VIDIOC_ENUMINPUT, NULL)" + ebadf);
  CHECK(call("ioctl", {minus1, VIDIOC_OVERLAY, 0xbadc0deddeadc0deULL}, -9, mem) ==
        "ioctl(-1, VIDIOC_OVERLAY, 0xbadc0deddeadc0de)" + ebadf);

  v4l2_capability caps{};
  std::memcpy(caps.driver, "vivid", 6);
  std::memcpy(caps.card, "vivid card", 11);
  std::memcpy(caps.bus_info, "platform:vivid-000", 19);
  caps.version = (5u << 16) | (4u << 8) | 3u;
  caps.capabilities = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING | V4L2_CAP_DEVICE_CAPS;
  caps.device_caps = V4L2_CAP_VIDEO_CAPTURE;
  mem.put(0x1000, caps);
  CHECK(call("ioctl", {minus1, VIDIOC_QUERYCAP, 0x1000}, 0, mem) ==
        "ioctl(-1, VIDIOC_QUERYCAP, {driver=\"vivid\", card=\"vivid card\", bus_info=\"platform:vivid-000\", "
        "version=KERNEL_VERSION(5, 4, 3), capabilities=V4L2_CAP_VIDEO_CAPTURE|V4L2_CAP_STREAMING|"
        "V4L2_CAP_DEVICE_CAPS, device_caps=V4L2_CAP_VIDEO_CAPTURE}) = 0");
  CHECK(call("ioctl", {minus1, VIDIOC_QUERYCAP, 0x1000}, 0, mem, snare::test::style(xlat_style::verbose)) ==
        "ioctl(-1, 0x80685600 /* VIDIOC_QUERYCAP */, {driver=\"vivid\", card=\"vivid card\", "
        "bus_info=\"platform:vivid-000\", version=0x50403 /* KERNEL_VERSION(5, 4, 3) */, "
        "capabilities=0x84000001 /* V4L2_CAP_VIDEO_CAPTURE|V4L2_CAP_STREAMING|V4L2_CAP_DEVICE_CAPS */, "
        "device_caps=0x1 /* V4L2_CAP_VIDEO_CAPTURE */}) = 0");
  CHECK(call("ioctl", {minus1, VIDIOC_QUERYCAP, 0x1000}, -9, mem) ==
        "ioctl(-1, VIDIOC_QUERYCAP, 0x1000)" + ebadf);

  std::uint32_t type = 0xfffefdfc;
  mem.put(0x2000, type);
  CHECK(call("ioctl", {minus1, VIDIOC_STREAMON, 0x2000}, -9, mem) ==
        "ioctl(-1, VIDIOC_STREAMON, [0xfffefdfc /* V4L2_BUF_TYPE_??? */])" + ebadf);
  CHECK(call("ioctl", {minus1, VIDIOC_S_INPUT, 0x2000}, -9, mem) ==
        "ioctl(-1, VIDIOC_S_INPUT, [4294901244])" + ebadf);
  CHECK(call("ioctl", {minus1, VIDIOC_G_INPUT, 0x2000}, -9, mem) ==
        "ioctl(-1, VIDIOC_G_INPUT, 0x2000)" + ebadf);
  std::uint64_t std_id = 0xfffefdfcfbfaf9f8ULL;
  mem.put(0x3000, std_id);
  CHECK(call("ioctl", {minus1, VIDIOC_S_STD, 0x3000}, -9, mem) ==
        "ioctl(-1, VIDIOC_S_STD, [0xfffefdfcfbfaf9f8])" + ebadf);

  v4l2_input in{};
  in.index = 3;
  std::memcpy(in.name, "Camera 1", 9);
  in.type = V4L2_INPUT_TYPE_CAMERA;
  mem.put(0x4000, in);
  CHECK(call("ioctl", {minus1, VIDIOC_ENUMINPUT, 0x4000}, -9, mem) ==
        "ioctl(-1, VIDIOC_ENUMINPUT, {index=3})" + ebadf);
  CHECK(call("ioctl", {minus1, VIDIOC_ENUMINPUT, 0x4000}, 0, mem) ==
        "ioctl(-1, VIDIOC_ENUMINPUT, {index=3, name=\"Camera 1\", type=V4L2_INPUT_TYPE_CAMERA}) = 0");
  v4l2_standard st{};
  st.index = 1;
  std::memcpy(st.name, "PAL", 4);
  st.frameperiod = {1, 25};
  st.framelines = 625;
  mem.put(0x5000, st);
  CHECK(call("ioctl", {minus1, VIDIOC_ENUMSTD, 0x5000}, 0, mem) ==
        "ioctl(-1, VIDIOC_ENUMSTD, {index=1, name=\"PAL\", frameperiod=1/25, framelines=625}) = 0");
  v4l2_fmtdesc fd{};
  fd.index = 233488606;
  fd.type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
  fd.flags = V4L2_FMT_FLAG_COMPRESSED | 0x200;
  std::memcpy(fd.description, "JPEG", 5);
  fd.pixelformat = V4L2_PIX_FMT_JPGL;
  mem.put(0x7000, fd);
  CHECK(call("ioctl", {minus1, VIDIOC_ENUM_FMT, 0x7000}, -9, mem) ==
        "ioctl(-1, VIDIOC_ENUM_FMT, {index=233488606, type=V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE})" + ebadf);
  CHECK(call("ioctl", {minus1, VIDIOC_ENUM_FMT, 0x7000}, 42, mem) ==
        "ioctl(-1, VIDIOC_ENUM_FMT, {index=233488606, type=V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE, "
        "flags=V4L2_FMT_FLAG_COMPRESSED|0x200, description=\"JPEG\", "
        "pixelformat=v4l2_fourcc('J', 'P', 'G', 'L') /* V4L2_PIX_FMT_JPGL */}) = 42");
  fd.pixelformat = 0xbadc0ded;
  mem.put(0x7000, fd);
  CHECK(call("ioctl", {minus1, VIDIOC_ENUM_FMT, 0x7000}, 42, mem, snare::test::style(xlat_style::raw)) ==
        "ioctl(-1, 0xc0405602, {index=233488606, type=0x9, flags=0x201, description=\"JPEG\", "
        "pixelformat=0xbadc0ded}) = 42");
  CHECK(call("ioctl", {minus1, VIDIOC_ENUM_FMT, 0x7000}, 42, mem)
            .find("v4l2_fourcc('\\xed', '\\x0d', '\\xdc', "
                  "'\\xba')}") != std::string::npos);
  v4l2_requestbuffers rb{};
  rb.count = 4;
  rb.type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
  rb.memory = V4L2_MEMORY_DMABUF;
  mem.put(0x8000, rb);
  CHECK(call("ioctl", {minus1, VIDIOC_REQBUFS, 0x8000}, 42, mem) ==
        "ioctl(-1, VIDIOC_REQBUFS, {type=V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE, memory=V4L2_MEMORY_DMABUF, "
        "count=4 => 4}) = 42");
  CHECK(call("ioctl", {minus1, VIDIOC_REQBUFS, 0x8000}, -9, mem) ==
        "ioctl(-1, VIDIOC_REQBUFS, {type=V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE, memory=V4L2_MEMORY_DMABUF, "
        "count=4})" +
            ebadf);
  v4l2_cropcap cc{};
  cc.type = 0xf;
  cc.bounds = {-1, -2, 3, 4};
  cc.defrect = {5, 6, 7, 8};
  cc.pixelaspect = {9, 10};
  mem.put(0x9000, cc);
  CHECK(call("ioctl", {minus1, VIDIOC_CROPCAP, 0x9000}, 42, mem) ==
        "ioctl(-1, VIDIOC_CROPCAP, {type=0xf /* V4L2_BUF_TYPE_??? */, bounds={left=-1, top=-2, width=3, "
        "height=4}, "
        "defrect={left=5, top=6, width=7, height=8}, pixelaspect=9/10}) = 42");
  v4l2_crop cr{};
  cr.type = V4L2_BUF_TYPE_VBI_OUTPUT;
  cr.c = {-1, -2, 3, 4};
  mem.put(0xa000, cr);
  CHECK(call("ioctl", {minus1, VIDIOC_G_CROP, 0xa000}, -9, mem) ==
        "ioctl(-1, VIDIOC_G_CROP, {type=V4L2_BUF_TYPE_VBI_OUTPUT})" + ebadf);
  CHECK(call("ioctl", {minus1, VIDIOC_G_CROP, 0xa000}, 42, mem) ==
        "ioctl(-1, VIDIOC_G_CROP, {type=V4L2_BUF_TYPE_VBI_OUTPUT, c={left=-1, top=-2, width=3, height=4}}) = "
        "42");
  CHECK(call("ioctl", {minus1, VIDIOC_S_CROP, 0xa000}, -9, mem) ==
        "ioctl(-1, VIDIOC_S_CROP, {type=V4L2_BUF_TYPE_VBI_OUTPUT, c={left=-1, top=-2, width=3, height=4}})" +
            ebadf);
  v4l2_framebuffer fb{};
  fb.capability = 0xd3d2d1d0;
  fb.flags = 0xd7d6d5d4;
  mem.put(0x6000, fb);
  CHECK(call("ioctl", {minus1, VIDIOC_G_FBUF, 0x6000}, 0, mem) ==
        "ioctl(-1, VIDIOC_G_FBUF, {capability=0xd3d2d1d0, flags=0xd7d6d5d4, base=NULL}) = 0");
}
