// Tests the Video4Linux2 ioctls (decode/ioctl/v4l2*.hpp): request numbers and
// struct layouts from linux/videodev2.h, and lines as strace 6.1's tests/ioctl_v4l2.c and
// ioctl_v4l2-success.c expect them.
#include <catch2/catch.hpp>

#include <linux/videodev2.h>

#include <array>
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
  CHECK(code_of("VIDIOC_G_FMT") == VIDIOC_G_FMT);
  CHECK(code_of("VIDIOC_S_FMT") == VIDIOC_S_FMT);
  CHECK(code_of("VIDIOC_TRY_FMT") == VIDIOC_TRY_FMT);
  CHECK(code_of("VIDIOC_QUERYBUF") == VIDIOC_QUERYBUF);
  CHECK(code_of("VIDIOC_QBUF") == VIDIOC_QBUF);
  CHECK(code_of("VIDIOC_DQBUF") == VIDIOC_DQBUF);
  CHECK(code_of("VIDIOC_G_PARM") == VIDIOC_G_PARM);
  CHECK(code_of("VIDIOC_S_PARM") == VIDIOC_S_PARM);
  CHECK(code_of("VIDIOC_G_CTRL") == VIDIOC_G_CTRL);
  CHECK(code_of("VIDIOC_S_CTRL") == VIDIOC_S_CTRL);
  CHECK(code_of("VIDIOC_G_TUNER") == VIDIOC_G_TUNER);
  CHECK(code_of("VIDIOC_S_TUNER") == VIDIOC_S_TUNER);
  CHECK(code_of("VIDIOC_QUERYCTRL") == VIDIOC_QUERYCTRL);
  CHECK(code_of("VIDIOC_QUERY_EXT_CTRL") == VIDIOC_QUERY_EXT_CTRL);
  CHECK(code_of("VIDIOC_G_EXT_CTRLS") == VIDIOC_G_EXT_CTRLS);
  CHECK(code_of("VIDIOC_S_EXT_CTRLS") == VIDIOC_S_EXT_CTRLS);
  CHECK(code_of("VIDIOC_TRY_EXT_CTRLS") == VIDIOC_TRY_EXT_CTRLS);
  CHECK(code_of("VIDIOC_ENUM_FRAMESIZES") == VIDIOC_ENUM_FRAMESIZES);
  CHECK(code_of("VIDIOC_ENUM_FRAMEINTERVALS") == VIDIOC_ENUM_FRAMEINTERVALS);
  CHECK(code_of("VIDIOC_CREATE_BUFS") == VIDIOC_CREATE_BUFS);
  // The offsets the printers read the structs at.
  STATIC_REQUIRE(offsetof(v4l2_format, fmt) == 8);
  STATIC_REQUIRE(sizeof(v4l2_format) == 208);
  STATIC_REQUIRE(offsetof(v4l2_pix_format, colorspace) == 24);
  STATIC_REQUIRE(offsetof(v4l2_pix_format_mplane, plane_fmt) == 20);
  STATIC_REQUIRE(sizeof(v4l2_plane_pix_format) == 20);
  STATIC_REQUIRE(offsetof(v4l2_pix_format_mplane, num_planes) == 180);
  STATIC_REQUIRE(offsetof(v4l2_window, clips) == 24);
  STATIC_REQUIRE(offsetof(v4l2_window, clipcount) == 32);
  STATIC_REQUIRE(offsetof(v4l2_window, bitmap) == 40);
  STATIC_REQUIRE(offsetof(v4l2_window, global_alpha) == 48);
  STATIC_REQUIRE(sizeof(v4l2_clip) == 24);
  STATIC_REQUIRE(offsetof(v4l2_vbi_format, start) == 16);
  STATIC_REQUIRE(offsetof(v4l2_vbi_format, flags) == 32);
  STATIC_REQUIRE(offsetof(v4l2_sliced_vbi_format, service_lines) == 2);
  STATIC_REQUIRE(offsetof(v4l2_sliced_vbi_format, io_size) == 100);
  STATIC_REQUIRE(sizeof(v4l2_buffer) == 88);
  STATIC_REQUIRE(offsetof(v4l2_buffer, timestamp) == 24);
  STATIC_REQUIRE(offsetof(v4l2_buffer, memory) == 60);
  STATIC_REQUIRE(offsetof(v4l2_buffer, m) == 64);
  STATIC_REQUIRE(offsetof(v4l2_buffer, length) == 72);
  STATIC_REQUIRE(offsetof(v4l2_streamparm, parm) == 4);
  STATIC_REQUIRE(offsetof(v4l2_captureparm, readbuffers) == 20);
  STATIC_REQUIRE(offsetof(v4l2_outputparm, writebuffers) == 20);
  STATIC_REQUIRE(offsetof(v4l2_tuner, afc) == 64);
  STATIC_REQUIRE(offsetof(v4l2_queryctrl, flags) == 56);
  STATIC_REQUIRE(offsetof(v4l2_query_ext_ctrl, dims) == 88);
  STATIC_REQUIRE(offsetof(v4l2_query_ext_ctrl, reserved) == 104);
  STATIC_REQUIRE(sizeof(v4l2_ext_control) == 20);
  STATIC_REQUIRE(offsetof(v4l2_ext_control, value64) == 12);
  STATIC_REQUIRE(offsetof(v4l2_ext_controls, error_idx) == 8);
  STATIC_REQUIRE(offsetof(v4l2_ext_controls, controls) == 24);
  STATIC_REQUIRE(offsetof(v4l2_frmsizeenum, stepwise) == 12);
  STATIC_REQUIRE(offsetof(v4l2_frmivalenum, stepwise) == 20);
  STATIC_REQUIRE(offsetof(v4l2_create_buffers, format) == 16);
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

TEST_CASE("v4l2 formats, buffers and parameters print as strace's", "[format][ioctl][v4l2]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, VIDIOC_G_FMT, 0}, -9, mem) == "ioctl(-1, VIDIOC_G_FMT, NULL)" + ebadf);
  v4l2_format f{};
  f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  f.fmt.pix.width = 640;
  f.fmt.pix.height = 480;
  f.fmt.pix.pixelformat = V4L2_PIX_FMT_YUYV;
  f.fmt.pix.field = V4L2_FIELD_NONE;
  f.fmt.pix.bytesperline = 1280;
  f.fmt.pix.sizeimage = 614400;
  f.fmt.pix.colorspace = V4L2_COLORSPACE_SRGB;
  mem.put(0x1000, f);
  const std::string pix =
      "fmt.pix={width=640, height=480, pixelformat=v4l2_fourcc('Y', 'U', 'Y', 'V') /* V4L2_PIX_FMT_YUYV */, "
      "field=V4L2_FIELD_NONE, bytesperline=1280, sizeimage=614400, colorspace=V4L2_COLORSPACE_SRGB}";
  CHECK(call("ioctl", {minus1, VIDIOC_G_FMT, 0x1000}, -9, mem) ==
        "ioctl(-1, VIDIOC_G_FMT, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE})" + ebadf);
  CHECK(call("ioctl", {minus1, VIDIOC_G_FMT, 0x1000}, 0, mem) ==
        "ioctl(-1, VIDIOC_G_FMT, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, " + pix + "}) = 0");
  CHECK(call("ioctl", {minus1, VIDIOC_S_FMT, 0x1000}, 0, mem) ==
        "ioctl(-1, VIDIOC_S_FMT, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, " + pix + "} => {" + pix + "}) = 0");
  CHECK(call("ioctl", {minus1, VIDIOC_TRY_FMT, 0x1000}, -9, mem) ==
        "ioctl(-1, VIDIOC_TRY_FMT, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, " + pix + "})" + ebadf);
  CHECK(call("ioctl", {minus1, VIDIOC_G_FMT, 0x1000}, 0, mem, snare::test::raw) ==
        "ioctl(-1, 0xc0d05604, {type=0x1, fmt.pix={width=640, height=480, pixelformat=0x56595559, field=0x1, "
        "bytesperline=1280, sizeimage=614400, colorspace=0x8}}) = 0");

  // A window's clips come from the tracee; where they end, S_FMT prints nothing at exit.
  v4l2_clip clips[2]{};
  clips[0].c = {1, -2, 3, 4};
  clips[1].c = {5, 6, 7, 8};
  mem.put(0x3000, clips);
  v4l2_format w{};
  w.type = V4L2_BUF_TYPE_VIDEO_OVERLAY;
  w.fmt.win.w = {-1, 2, 3, 4};
  w.fmt.win.field = V4L2_FIELD_ANY;
  w.fmt.win.chromakey = 0xabc;
  w.fmt.win.clips = reinterpret_cast<v4l2_clip*>(0x3000);
  w.fmt.win.clipcount = 3;
  w.fmt.win.global_alpha = 0x7f;
  mem.put(0x2000, w);
  CHECK(call("ioctl", {minus1, VIDIOC_S_FMT, 0x2000}, 0, mem) ==
        "ioctl(-1, VIDIOC_S_FMT, {type=V4L2_BUF_TYPE_VIDEO_OVERLAY, fmt.win={w={left=-1, top=2, width=3, "
        "height=4}, field=V4L2_FIELD_ANY, chromakey=0xabc, clips=[{c={left=1, top=-2, width=3, height=4}}, "
        "{c={left=5, top=6, width=7, height=8}}, ... /* 0x3030 */], clipcount=3, bitmap=NULL, "
        "global_alpha=0x7f}}) = 0");

  v4l2_format mp{};
  mp.type = V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE;
  mp.fmt.pix_mp.pixelformat = V4L2_PIX_FMT_NV12M;
  mp.fmt.pix_mp.num_planes = 2;
  mp.fmt.pix_mp.plane_fmt[0] = {100, 10, {}};
  mp.fmt.pix_mp.plane_fmt[1] = {50, 5, {}};
  mem.put(0x4000, mp);
  CHECK(call("ioctl", {minus1, VIDIOC_G_FMT, 0x4000}, 0, mem) ==
        "ioctl(-1, VIDIOC_G_FMT, {type=V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE, fmt.pix_mp={width=0, height=0, "
        "pixelformat=v4l2_fourcc('N', 'M', '1', '2') /* V4L2_PIX_FMT_NV12M */, field=V4L2_FIELD_ANY, "
        "colorspace=V4L2_COLORSPACE_DEFAULT, plane_fmt=[{sizeimage=100, bytesperline=10}, {sizeimage=50, "
        "bytesperline=5}], num_planes=2}}) = 0");
  v4l2_format sdr{};
  sdr.type = V4L2_BUF_TYPE_SDR_CAPTURE;
  sdr.fmt.sdr.pixelformat = V4L2_SDR_FMT_CU8;
  mem.put(0x5000, sdr);
  CHECK(call("ioctl", {minus1, VIDIOC_G_FMT, 0x5000}, 0, mem) ==
        "ioctl(-1, VIDIOC_G_FMT, {type=V4L2_BUF_TYPE_SDR_CAPTURE, fmt.sdr={pixelformat=v4l2_fourcc('C', 'U', "
        "'0', '8') /* V4L2_SDR_FMT_CU8 */}}) = 0");

  v4l2_buffer b{};
  b.index = 2;
  b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  b.bytesused = 10;
  b.flags = V4L2_BUF_FLAG_MAPPED | V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC | V4L2_BUF_FLAG_TSTAMP_SRC_SOE;
  b.timestamp = {3, 4};
  b.memory = V4L2_MEMORY_MMAP;
  b.m.offset = 0x1000;
  b.length = 20;
  mem.put(0x6000, b);
  CHECK(call("ioctl", {minus1, VIDIOC_QBUF, 0x6000}, -9, mem) ==
        "ioctl(-1, VIDIOC_QBUF, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, index=2})" + ebadf);
  CHECK(call("ioctl", {minus1, VIDIOC_DQBUF, 0x6000}, 0, mem) ==
        "ioctl(-1, VIDIOC_DQBUF, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, index=2, memory=V4L2_MEMORY_MMAP, "
        "m.offset=0x1000, length=20, bytesused=10, "
        "flags=V4L2_BUF_FLAG_MAPPED|V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC|"
        "V4L2_BUF_FLAG_TSTAMP_SRC_SOE, timestamp={tv_sec=3, tv_usec=4}, ...}) = 0");
  CHECK(call("ioctl", {minus1, VIDIOC_QUERYBUF, 0x6000}, 0, mem, snare::test::verbose) ==
        "ioctl(-1, 0xc0585609 /* VIDIOC_QUERYBUF */, {type=0x1 /* V4L2_BUF_TYPE_VIDEO_CAPTURE */, index=2, "
        "memory=0x1 /* V4L2_MEMORY_MMAP */, m.offset=0x1000, length=20, bytesused=10, flags=0x1 /* "
        "V4L2_BUF_FLAG_MAPPED */|0x2000 /* V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC */|0x10000 /* "
        "V4L2_BUF_FLAG_TSTAMP_SRC_SOE */, ...}) = 0");

  v4l2_streamparm sp{};
  sp.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  sp.parm.capture = {V4L2_CAP_TIMEPERFRAME, V4L2_MODE_HIGHQUALITY, {1, 30}, 0, 4, {}};
  mem.put(0x7000, sp);
  const std::string cap =
      "parm.capture={capability=V4L2_CAP_TIMEPERFRAME, capturemode=V4L2_MODE_HIGHQUALITY, timeperframe=1/30, "
      "extendedmode=0, readbuffers=4}";
  CHECK(call("ioctl", {minus1, VIDIOC_G_PARM, 0x7000}, 0, mem) ==
        "ioctl(-1, VIDIOC_G_PARM, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, " + cap + "}) = 0");
  CHECK(call("ioctl", {minus1, VIDIOC_S_PARM, 0x7000}, 0, mem) ==
        "ioctl(-1, VIDIOC_S_PARM, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, " + cap + "} => {" + cap + "}) = 0");
  sp.type = V4L2_BUF_TYPE_VBI_CAPTURE;
  mem.put(0x7000, sp);
  CHECK(call("ioctl", {minus1, VIDIOC_S_PARM, 0x7000}, 0, mem) ==
        "ioctl(-1, VIDIOC_S_PARM, {type=V4L2_BUF_TYPE_VBI_CAPTURE}) = 0");

  v4l2_tuner t{};
  t.index = 1;
  std::memcpy(t.name, "FM", 3);
  t.type = V4L2_TUNER_RADIO;
  t.capability = V4L2_TUNER_CAP_LOW | V4L2_TUNER_CAP_STEREO;
  t.rangelow = 1;
  t.rangehigh = 2;
  t.rxsubchans = V4L2_TUNER_SUB_STEREO;
  t.audmode = V4L2_TUNER_MODE_STEREO;
  t.signal = -3;
  mem.put(0x8000, t);
  const std::string tf =
      "name=\"FM\", type=V4L2_TUNER_RADIO, capability=V4L2_TUNER_CAP_LOW|V4L2_TUNER_CAP_STEREO, rangelow=1, "
      "rangehigh=2, rxsubchans=V4L2_TUNER_SUB_STEREO, audmode=V4L2_TUNER_MODE_STEREO, signal=-3, afc=0";
  CHECK(call("ioctl", {minus1, VIDIOC_G_TUNER, 0x8000}, 0, mem) ==
        "ioctl(-1, VIDIOC_G_TUNER, {index=1, " + tf + "}) = 0");
  CHECK(call("ioctl", {minus1, VIDIOC_S_TUNER, 0x8000}, 0, mem) ==
        "ioctl(-1, VIDIOC_S_TUNER, {index=1, " + tf + "} => {" + tf + "}) = 0");

  v4l2_frmivalenum fi{};
  fi.index = 0;
  fi.pixel_format = V4L2_PIX_FMT_MJPEG;
  fi.width = 320;
  fi.height = 240;
  fi.type = V4L2_FRMIVAL_TYPE_CONTINUOUS;
  fi.stepwise = {{1, 60}, {1, 1}, {1, 1000}};
  mem.put(0x9000, fi);
  CHECK(
      call("ioctl", {minus1, VIDIOC_ENUM_FRAMEINTERVALS, 0x9000}, 0, mem) ==
      "ioctl(-1, VIDIOC_ENUM_FRAMEINTERVALS, {index=0, pixel_format=v4l2_fourcc('M', 'J', 'P', 'G') /* "
      "V4L2_PIX_FMT_MJPEG */, width=320, height=240, type=V4L2_FRMIVAL_TYPE_CONTINUOUS, stepwise={min=1/60, "
      "max=1/1, step=1/1000}}) = 0");
  v4l2_frmsizeenum fs{};
  fs.index = 1;
  fs.pixel_format = V4L2_PIX_FMT_GREY;
  fs.type = V4L2_FRMSIZE_TYPE_DISCRETE;
  fs.discrete = {640, 480};
  mem.put(0xa000, fs);
  CHECK(call("ioctl", {minus1, VIDIOC_ENUM_FRAMESIZES, 0xa000}, 0, mem) ==
        "ioctl(-1, VIDIOC_ENUM_FRAMESIZES, {index=1, pixel_format=v4l2_fourcc('G', 'R', 'E', 'Y') /* "
        "V4L2_PIX_FMT_GREY */, type=V4L2_FRMSIZE_TYPE_DISCRETE, discrete={width=640, height=480}}) = 0");

  // CREATE_BUFS: what the kernel made is the result's comment.
  v4l2_create_buffers cb{};
  cb.index = 7;
  cb.count = 2;
  cb.memory = V4L2_MEMORY_USERPTR;
  cb.format.type = V4L2_BUF_TYPE_META_CAPTURE;
  cb.format.fmt.meta = {V4L2_META_FMT_UVC, 9};
  mem.put(0xb000, cb);
  CHECK(call("ioctl", {minus1, VIDIOC_CREATE_BUFS, 0xb000}, 0, mem) ==
        "ioctl(-1, VIDIOC_CREATE_BUFS, {count=2, memory=V4L2_MEMORY_USERPTR, "
        "format={type=V4L2_BUF_TYPE_META_CAPTURE, fmt.meta={dataformat=v4l2_fourcc('U', 'V', 'C', 'H') /* "
        "V4L2_META_FMT_UVC */, buffersize=9}}}) = 0 ({index=7, count=2})");
  CHECK(call("ioctl", {minus1, VIDIOC_CREATE_BUFS, 0xb000}, -9, mem) ==
        "ioctl(-1, VIDIOC_CREATE_BUFS, {count=2, memory=V4L2_MEMORY_USERPTR, "
        "format={type=V4L2_BUF_TYPE_META_CAPTURE, fmt.meta={dataformat=v4l2_fourcc('U', 'V', 'C', 'H') /* "
        "V4L2_META_FMT_UVC */, buffersize=9}}})" +
            ebadf);
  // A call -e verbose= leaves out: the argument in hex, no comment after the result.
  snare::format::options nv;
  nv.decode_structs = false;
  CHECK(call("ioctl", {minus1, VIDIOC_CREATE_BUFS, 0xb000}, 0, mem, nv) ==
        "ioctl(-1, VIDIOC_CREATE_BUFS, 0xb000) = 0");
  CHECK(call("ioctl", {minus1, VIDIOC_QUERYCAP, 0}, 0, mem, nv) == "ioctl(-1, VIDIOC_QUERYCAP, 0) = 0");
}

TEST_CASE("v4l2 controls print as strace's", "[format][ioctl][v4l2]") {
  fake_memory mem;
  v4l2_control c{V4L2_CID_BRIGHTNESS, -5};
  mem.put(0x1000, c);
  CHECK(call("ioctl", {minus1, VIDIOC_S_CTRL, 0x1000}, 0, mem) ==
        "ioctl(-1, VIDIOC_S_CTRL, {id=V4L2_CID_BRIGHTNESS, value=-5 => -5}) = 0");
  CHECK(call("ioctl", {minus1, VIDIOC_G_CTRL, 0x1000}, -9, mem) ==
        "ioctl(-1, VIDIOC_G_CTRL, {id=V4L2_CID_BRIGHTNESS})" + ebadf);
  // An id nothing names is its class plus an offset, or unknown past the class's range.
  c.id = V4L2_CTRL_CLASS_CAMERA + 0x9ff;
  mem.put(0x1000, c);
  CHECK(call("ioctl", {minus1, VIDIOC_G_CTRL, 0x1000}, 0, mem) ==
        "ioctl(-1, VIDIOC_G_CTRL, {id=V4L2_CTRL_CLASS_CAMERA+0x9ff, value=-5}) = 0");
  CHECK(call("ioctl", {minus1, VIDIOC_G_CTRL, 0x1000}, 0, mem, snare::test::verbose) ==
        "ioctl(-1, 0xc008561b /* VIDIOC_G_CTRL */, {id=0x9a09ff /* V4L2_CTRL_CLASS_CAMERA+0x9ff */, "
        "value=-5}) = 0");
  c.id = 0x42;
  mem.put(0x1000, c);
  CHECK(call("ioctl", {minus1, VIDIOC_G_CTRL, 0x1000}, 0, mem) ==
        "ioctl(-1, VIDIOC_G_CTRL, {id=0x42 /* V4L2_CID_??? */, value=-5}) = 0");

  v4l2_queryctrl q{};
  q.id = V4L2_CTRL_FLAG_NEXT_CTRL | V4L2_CID_CONTRAST;
  q.type = V4L2_CTRL_TYPE_INTEGER;
  std::memcpy(q.name, "Contrast", 9);
  q.minimum = -1;
  q.maximum = 255;
  q.step = 1;
  q.default_value = 128;
  q.flags = V4L2_CTRL_FLAG_SLIDER;
  mem.put(0x2000, q);
  CHECK(call("ioctl", {minus1, VIDIOC_QUERYCTRL, 0x2000}, 0, mem) ==
        "ioctl(-1, VIDIOC_QUERYCTRL, {id=V4L2_CTRL_FLAG_NEXT_CTRL|V4L2_CID_CONTRAST, "
        "type=V4L2_CTRL_TYPE_INTEGER, "
        "name=\"Contrast\", ...}) = 0");
  snare::format::options v;
  v.verbose = true;
  CHECK(call("ioctl", {minus1, VIDIOC_QUERYCTRL, 0x2000}, 0, mem, v) ==
        "ioctl(-1, VIDIOC_QUERYCTRL, {id=V4L2_CTRL_FLAG_NEXT_CTRL|V4L2_CID_CONTRAST, "
        "type=V4L2_CTRL_TYPE_INTEGER, "
        "name=\"Contrast\", minimum=-1, maximum=255, step=1, default_value=128, "
        "flags=V4L2_CTRL_FLAG_SLIDER}) = 0");

  v4l2_query_ext_ctrl qe{};
  qe.id = V4L2_CID_HUE;
  qe.type = V4L2_CTRL_TYPE_U8;
  qe.step = 2;
  qe.nr_of_dims = 2;
  qe.dims[0] = 3;
  qe.dims[1] = 4;
  qe.reserved[31] = 0xff;
  mem.put(0x3000, qe);
  const std::string reserved =
      "0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "
      "0, 0, 0, 0, 0xff";
  CHECK(call("ioctl", {minus1, VIDIOC_QUERY_EXT_CTRL, 0x3000}, 0, mem, v) ==
        "ioctl(-1, VIDIOC_QUERY_EXT_CTRL, {id=V4L2_CID_HUE, type=V4L2_CTRL_TYPE_U8, name=\"\", minimum=0, "
        "maximum=0, step=2, default_value=0, flags=0, elem_size=0, elems=0, nr_of_dims=2, dims=[3, 4], "
        "reserved=[" +
            reserved + "]}) = 0");

  // Extended controls: the set ones at entry, those the kernel left at exit, the failing index.
  unsigned char ctrls[40]{};
  v4l2_ext_control e0{};
  e0.id = V4L2_CID_SATURATION;
  e0.value64 = -2;
  std::memcpy(ctrls, &e0, sizeof e0);
  v4l2_ext_control e1{};
  e1.id = V4L2_CID_AUDIO_VOLUME;
  e1.size = 3;
  e1.string = reinterpret_cast<char*>(0x5000);
  std::memcpy(ctrls + 20, &e1, sizeof e1);
  mem.put(0x4000, ctrls);
  mem.put(0x5000, std::array<char, 3>{'a', 'b', 'c'});
  v4l2_ext_controls ec{};
  ec.ctrl_class = V4L2_CTRL_CLASS_USER;
  ec.count = 2;
  ec.error_idx = 1;
  ec.controls = reinterpret_cast<v4l2_ext_control*>(0x4000);
  mem.put(0x6000, ec);
  const std::string list =
      "controls=[{id=V4L2_CID_SATURATION, size=0, value=-2, value64=-2}, {id=V4L2_CID_AUDIO_VOLUME, size=3, "
      "string=\"abc\"}]";
  CHECK(call("ioctl", {minus1, VIDIOC_S_EXT_CTRLS, 0x6000}, -22, mem) ==
        "ioctl(-1, VIDIOC_S_EXT_CTRLS, {ctrl_class=V4L2_CTRL_CLASS_USER, count=2, " + list + "} => {" + list +
            ", error_idx=1}) = -1 EINVAL (Invalid argument)");
  CHECK(call("ioctl", {minus1, VIDIOC_G_EXT_CTRLS, 0x6000}, 0, mem) ==
        "ioctl(-1, VIDIOC_G_EXT_CTRLS, {ctrl_class=V4L2_CTRL_CLASS_USER, count=2, " + list + "}) = 0");
  ec.count = 0;
  mem.put(0x6000, ec);
  CHECK(call("ioctl", {minus1, VIDIOC_TRY_EXT_CTRLS, 0x6000}, 0, mem) ==
        "ioctl(-1, VIDIOC_TRY_EXT_CTRLS, {ctrl_class=V4L2_CTRL_CLASS_USER, count=0}) = 0");
}
