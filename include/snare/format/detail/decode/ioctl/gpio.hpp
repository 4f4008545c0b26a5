// Defines the decoder of the GPIO character device ioctls of linux/gpio.h (strace's
// gpio_ioctl.c): chip and line info, the v1 handle and event requests and values, and the
// v2 line requests with their configs and attributes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// GPIOLINE_FLAG_* (linux/gpio.h).
inline constexpr xlat_entry gpio_line_flags_bits[] = {
    {1u << 0, "GPIOLINE_FLAG_KERNEL"},         {1u << 1, "GPIOLINE_FLAG_IS_OUT"},
    {1u << 2, "GPIOLINE_FLAG_ACTIVE_LOW"},     {1u << 3, "GPIOLINE_FLAG_OPEN_DRAIN"},
    {1u << 4, "GPIOLINE_FLAG_OPEN_SOURCE"},    {1u << 5, "GPIOLINE_FLAG_BIAS_PULL_UP"},
    {1u << 6, "GPIOLINE_FLAG_BIAS_PULL_DOWN"}, {1u << 7, "GPIOLINE_FLAG_BIAS_DISABLE"},
};
inline constexpr xlat gpio_line_flags_xlat{{}, 0, gpio_line_flags_bits, "0", "GPIOLINE_FLAG_???"};

/// GPIOHANDLE_REQUEST_* (linux/gpio.h).
inline constexpr xlat_entry gpio_handle_flags_bits[] = {
    {1u << 0, "GPIOHANDLE_REQUEST_INPUT"},          {1u << 1, "GPIOHANDLE_REQUEST_OUTPUT"},
    {1u << 2, "GPIOHANDLE_REQUEST_ACTIVE_LOW"},     {1u << 3, "GPIOHANDLE_REQUEST_OPEN_DRAIN"},
    {1u << 4, "GPIOHANDLE_REQUEST_OPEN_SOURCE"},    {1u << 5, "GPIOHANDLE_REQUEST_BIAS_PULL_UP"},
    {1u << 6, "GPIOHANDLE_REQUEST_BIAS_PULL_DOWN"}, {1u << 7, "GPIOHANDLE_REQUEST_BIAS_DISABLE"},
};
inline constexpr xlat gpio_handle_flags_xlat{{}, 0, gpio_handle_flags_bits, "0", "GPIOHANDLE_REQUEST_???"};

/// GPIOEVENT_REQUEST_* (linux/gpio.h): both edges first, as strace's table.
inline constexpr xlat_entry gpio_event_flags_bits[] = {
    {3, "GPIOEVENT_REQUEST_BOTH_EDGES"},
    {1, "GPIOEVENT_REQUEST_RISING_EDGE"},
    {2, "GPIOEVENT_REQUEST_FALLING_EDGE"},
};
inline constexpr xlat gpio_event_flags_xlat{{}, 0, gpio_event_flags_bits, "0", "GPIOEVENT_REQUEST_???"};

/// enum gpio_v2_line_flag (linux/gpio.h).
inline constexpr xlat_entry gpio_v2_line_flags_bits[] = {
    {1u << 0, "GPIO_V2_LINE_FLAG_USED"},
    {1u << 1, "GPIO_V2_LINE_FLAG_ACTIVE_LOW"},
    {1u << 2, "GPIO_V2_LINE_FLAG_INPUT"},
    {1u << 3, "GPIO_V2_LINE_FLAG_OUTPUT"},
    {1u << 4, "GPIO_V2_LINE_FLAG_EDGE_RISING"},
    {1u << 5, "GPIO_V2_LINE_FLAG_EDGE_FALLING"},
    {1u << 6, "GPIO_V2_LINE_FLAG_OPEN_DRAIN"},
    {1u << 7, "GPIO_V2_LINE_FLAG_OPEN_SOURCE"},
    {1u << 8, "GPIO_V2_LINE_FLAG_BIAS_PULL_UP"},
    {1u << 9, "GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN"},
    {1u << 10, "GPIO_V2_LINE_FLAG_BIAS_DISABLED"},
    {1u << 11, "GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME"},
    {1u << 12, "GPIO_V2_LINE_FLAG_EVENT_CLOCK_HTE"},
};
inline constexpr xlat gpio_v2_line_flags_xlat{{}, 0, gpio_v2_line_flags_bits, "0", "GPIO_V2_LINE_FLAG_???"};

/// The GPIO requests (_IOR/_IOWR(0xB4, nr, struct)), sorted by number.
inline constexpr ioctl_entry gpio_ioctls[] = {
    {0x8044b401, "GPIO_GET_CHIPINFO_IOCTL"},          {0xc004b40c, "GPIO_GET_LINEINFO_UNWATCH_IOCTL"},
    {0xc010b40e, "GPIO_V2_LINE_GET_VALUES_IOCTL"},    {0xc010b40f, "GPIO_V2_LINE_SET_VALUES_IOCTL"},
    {0xc030b404, "GPIO_GET_LINEEVENT_IOCTL"},         {0xc040b408, "GPIOHANDLE_GET_LINE_VALUES_IOCTL"},
    {0xc040b409, "GPIOHANDLE_SET_LINE_VALUES_IOCTL"}, {0xc048b402, "GPIO_GET_LINEINFO_IOCTL"},
    {0xc048b40b, "GPIO_GET_LINEINFO_WATCH_IOCTL"},    {0xc054b40a, "GPIOHANDLE_SET_CONFIG_IOCTL"},
    {0xc100b405, "GPIO_V2_GET_LINEINFO_IOCTL"},       {0xc100b406, "GPIO_V2_GET_LINEINFO_WATCH_IOCTL"},
    {0xc110b40d, "GPIO_V2_LINE_SET_CONFIG_IOCTL"},    {0xc16cb403, "GPIO_GET_LINEHANDLE_IOCTL"},
    {0xc250b407, "GPIO_V2_GET_LINE_IOCTL"},
};
static_assert(ioctl_table_sorted(gpio_ioctls), "gpio_ioctls must stay sorted by request");

/// Appends `count` (capped at `cap`) elements of `size` bytes of the array at `a` in decimal
/// (`hex`: in hex), cut at the string limit unless verbose (strace's PRINT_FIELD_ARRAY_UPTO).
template <class P>
void put_ioctl_local_array(P& p, const unsigned char* a, std::uint64_t count, std::size_t cap,
                           std::size_t size, bool hex = false) {
  std::string& out = p.out();
  if (count > cap) count = cap;
  out.push_back('[');
  for (std::uint64_t k = 0; k < count; ++k) {
    if (k) out.append(", ");
    if (!p.opts().verbose && k == p.opts().string_limit) {
      out.append("...");
      break;
    }
    std::uint64_t v = 0;
    std::memcpy(&v, a + k * size, size);
    if (hex)
      put_hex(out, v);
    else
      put_udec(out, v);
  }
  out.push_back(']');
}

/// Appends a struct gpio_v2_line_attribute (16 bytes: id, padding, a u64 union) by its id;
/// `as_field` wraps an unknown one as `attr={...}` (inside a config attribute).
inline void put_gpio_v2_attr(std::string& out, const unsigned char* a, bool as_field) {
  auto id = ioctl_field<std::uint32_t>(a, 0);
  auto padding = ioctl_field<std::uint32_t>(a, 4);
  auto value = ioctl_field<std::uint64_t>(a, 8);
  if (padding == 0 && id >= 1 && id <= 3) {
    if (id == 1) out.append("flags="), put_flags(out, gpio_v2_line_flags_xlat, value);
    if (id == 2) out.append("values="), put_hex(out, value);
    if (id == 3) out.append("debounce_period_us="), put_udec(out, static_cast<std::uint32_t>(value));
    return;
  }
  if (as_field) out.append("attr={");
  out.append("id="), put_udec(out, id);
  if (padding) out.append(", padding="), put_hex(out, padding);
  out.append(", data="), put_hex(out, value);
  if (as_field) out.push_back('}');
}

/// Appends the u32 array `pad` of `n` when not all zero, as `, padding=[0, 0xfeedface]`.
inline void put_gpio_padding(std::string& out, const unsigned char* pad, std::size_t n) {
  bool zero = true;
  for (std::size_t i = 0; i < n * 4; ++i) zero = zero && pad[i] == 0;
  if (zero) return;
  out.append(", padding=[");
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out.append(", ");
    put_hex(out, ioctl_field<std::uint32_t>(pad, 4 * i));
  }
  out.push_back(']');
}

/// Appends a struct gpio_v2_line_config (272 bytes: flags, num_attrs, padding[5], then ten
/// 24-byte config attributes {attr, mask}).
template <class P>
void put_gpio_v2_line_config(P& p, const unsigned char* c) {
  std::string& out = p.out();
  auto num_attrs = ioctl_field<std::uint32_t>(c, 8);
  out.append("{flags=");
  put_flags(out, gpio_v2_line_flags_xlat, ioctl_field<std::uint64_t>(c, 0));
  out.append(", num_attrs="), put_udec(out, num_attrs);
  put_gpio_padding(out, c + 12, 5);
  if (num_attrs) {
    out.append(", attrs=[");
    std::uint32_t n = num_attrs < 10 ? num_attrs : 10;
    for (std::uint32_t k = 0; k < n; ++k) {
      if (k) out.append(", ");
      if (!p.opts().verbose && k == p.opts().string_limit) {
        out.append("...");
        break;
      }
      const unsigned char* a = c + 32 + 24 * k;
      out.push_back('{');
      put_gpio_v2_attr(out, a, true);
      out.append(", mask="), put_hex(out, ioctl_field<std::uint64_t>(a, 16));
      out.push_back('}');
    }
    out.push_back(']');
  }
  out.push_back('}');
}

/// Prints the argument of GPIO request `code` (see ioctl_step); unknown for other requests.
template <class P>
ioctl_step put_gpio_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  if (!find_ioctl_entry(gpio_ioctls, code)) return ioctl_step::unknown;
  std::string& out = p.out();
  unsigned char b[600];
  auto read = [&](std::size_t n) {
    if (p.read_exact(arg, n)) return std::memcpy(b, scratch().data(), n), true;
    put_ptr(out, arg);
    return false;
  };
  // The requests the kernel answers: nothing at entry; the reply, or the address after a
  // failure.
  auto reply_only = [&](std::size_t n) {
    if (!exit) return false;
    if (p.failed()) return put_ptr(out, arg), false;
    return read(n);
  };
  // In-out requests: the request at entry; at exit ` => ` and the reply after a success
  // (nothing when the request was unreadable: its address printed at entry).
  auto request_then_reply = [&](std::size_t n) {
    if (!exit) return read(n);
    if (p.failed() || !p.read_exact(arg, n)) return false;
    std::memcpy(b, scratch().data(), n);
    out.append(" => ");
    return true;
  };
  switch (code) {
    case 0x8044b401:  // GPIO_GET_CHIPINFO_IOCTL: name[32], label[32], lines
      if (!exit) return ioctl_step::more;
      if (!reply_only(68)) return ioctl_step::done;
      out.append("{name="), put_ioctl_cstring(p, b, 32);
      out.append(", label="), put_ioctl_cstring(p, b + 32, 32);
      out.append(", lines="), put_udec(out, ioctl_field<std::uint32_t>(b, 64));
      out.push_back('}');
      return ioctl_step::done;
    case 0xc004b40c:  // GPIO_GET_LINEINFO_UNWATCH_IOCTL
      if (exit) return ioctl_step::done;
      if (read(4))
        out.append("{offset="), put_udec(out, ioctl_field<std::uint32_t>(b, 0)), out.push_back('}');
      return ioctl_step::done;
    case 0xc048b402:  // GPIO_GET_LINEINFO_IOCTL: line_offset, flags, name[32], consumer[32]
    case 0xc048b40b:  // GPIO_GET_LINEINFO_WATCH_IOCTL
      if (!request_then_reply(72)) return ioctl_step::done;
      if (!exit) {
        out.append("{line_offset="), put_udec(out, ioctl_field<std::uint32_t>(b, 0)), out.push_back('}');
        return ioctl_step::more;
      }
      out.append("{flags="), put_flags(out, gpio_line_flags_xlat, ioctl_field<std::uint32_t>(b, 4));
      out.append(", name="), put_ioctl_cstring(p, b + 8, 32);
      out.append(", consumer="), put_ioctl_cstring(p, b + 40, 32);
      out.push_back('}');
      return ioctl_step::done;
    case 0xc16cb403:  // GPIO_GET_LINEHANDLE_IOCTL: lineoffsets[64], flags, default_values[64],
                      // consumer_label[32], lines, fd
      if (!request_then_reply(364)) return ioctl_step::done;
      if (exit)
        return out.append("{fd="), p.put_fd(ioctl_field<std::int32_t>(b, 360)), out.push_back('}'),
               ioctl_step::done;
      {
        auto lines = ioctl_field<std::uint32_t>(b, 356);
        out.append("{lines="), put_udec(out, lines);
        out.append(", lineoffsets="), put_ioctl_local_array(p, b, lines, 64, 4);
        out.append(", flags="), put_flags(out, gpio_handle_flags_xlat, ioctl_field<std::uint32_t>(b, 256));
        out.append(", default_values="), put_ioctl_local_array(p, b + 260, lines, 64, 1);
        out.append(", consumer_label="), put_ioctl_cstring(p, b + 324, 32);
        out.push_back('}');
      }
      return ioctl_step::more;
    case 0xc030b404:  // GPIO_GET_LINEEVENT_IOCTL: lineoffset, handleflags, eventflags,
                      // consumer_label[32], fd
      if (!request_then_reply(48)) return ioctl_step::done;
      if (exit)
        return out.append("{fd="), p.put_fd(ioctl_field<std::int32_t>(b, 44)), out.push_back('}'),
               ioctl_step::done;
      out.append("{lineoffset="), put_udec(out, ioctl_field<std::uint32_t>(b, 0));
      out.append(", handleflags="), put_flags(out, gpio_handle_flags_xlat, ioctl_field<std::uint32_t>(b, 4));
      out.append(", eventflags="), put_flags(out, gpio_event_flags_xlat, ioctl_field<std::uint32_t>(b, 8));
      out.append(", consumer_label="), put_ioctl_cstring(p, b + 12, 32);
      out.push_back('}');
      return ioctl_step::more;
    case 0xc040b408:  // GPIOHANDLE_GET_LINE_VALUES_IOCTL: values[64]
      if (!exit) return ioctl_step::more;
      if (reply_only(64)) out.append("{values="), put_ioctl_local_array(p, b, 64, 64, 1), out.push_back('}');
      return ioctl_step::done;
    case 0xc040b409:  // GPIOHANDLE_SET_LINE_VALUES_IOCTL
      if (exit) return ioctl_step::done;
      if (read(64)) out.append("{values="), put_ioctl_local_array(p, b, 64, 64, 1), out.push_back('}');
      return ioctl_step::done;
    case 0xc054b40a:  // GPIOHANDLE_SET_CONFIG_IOCTL: flags, default_values[64], padding[4]
      if (exit) return ioctl_step::done;
      if (read(84)) {
        out.append("{flags="), put_flags(out, gpio_handle_flags_xlat, ioctl_field<std::uint32_t>(b, 0));
        out.append(", default_values="), put_ioctl_local_array(p, b + 4, 64, 64, 1);
        out.push_back('}');
      }
      return ioctl_step::done;
    case 0xc100b405:  // GPIO_V2_GET_LINEINFO_IOCTL: name[32], consumer[32], offset,
    case 0xc100b406:  // num_attrs, flags (u64), attrs[10] (16 bytes), padding[4]
      if (!request_then_reply(256)) return ioctl_step::done;
      if (!exit) {
        out.append("{offset="), put_udec(out, ioctl_field<std::uint32_t>(b, 64)), out.push_back('}');
        return ioctl_step::more;
      }
      {
        auto num_attrs = ioctl_field<std::uint32_t>(b, 68);
        out.append("{name="), put_ioctl_cstring(p, b, 32);
        out.append(", consumer="), put_ioctl_cstring(p, b + 32, 32);
        out.append(", flags="), put_flags(out, gpio_v2_line_flags_xlat, ioctl_field<std::uint64_t>(b, 72));
        out.append(", num_attrs="), put_udec(out, num_attrs);
        if (num_attrs) {
          out.append(", attrs=[");
          for (std::uint32_t k = 0; k < num_attrs && k < 10; ++k) {
            if (k) out.append(", ");
            if (!p.opts().verbose && k == p.opts().string_limit) {
              out.append("...");
              break;
            }
            out.push_back('{'), put_gpio_v2_attr(out, b + 80 + 16 * k, false), out.push_back('}');
          }
          out.push_back(']');
        }
        put_gpio_padding(out, b + 240, 4);
        out.push_back('}');
      }
      return ioctl_step::done;
    case 0xc250b407:  // GPIO_V2_GET_LINE_IOCTL: offsets[64], consumer[32], config (272),
                      // num_lines, event_buffer_size, padding[5], fd
      if (!request_then_reply(592)) return ioctl_step::done;
      if (exit)
        return out.append("{fd="), p.put_fd(ioctl_field<std::int32_t>(b, 588)), out.push_back('}'),
               ioctl_step::done;
      {
        auto num_lines = ioctl_field<std::uint32_t>(b, 560);
        auto event_buffer_size = ioctl_field<std::uint32_t>(b, 564);
        out.append("{num_lines="), put_udec(out, num_lines);
        out.append(", offsets="), put_ioctl_local_array(p, b, num_lines, 64, 4);
        out.append(", consumer="), put_ioctl_cstring(p, b + 256, 32);
        out.append(", config="), put_gpio_v2_line_config(p, b + 288);
        if (event_buffer_size) out.append(", event_buffer_size="), put_udec(out, event_buffer_size);
        put_gpio_padding(out, b + 568, 5);
        out.push_back('}');
      }
      return ioctl_step::more;
    case 0xc110b40d:  // GPIO_V2_LINE_SET_CONFIG_IOCTL
      if (exit) return ioctl_step::done;
      if (read(272)) put_gpio_v2_line_config(p, b);
      return ioctl_step::done;
    case 0xc010b40e:  // GPIO_V2_LINE_GET_VALUES_IOCTL: bits, mask (u64)
      if (!request_then_reply(16)) return ioctl_step::done;
      if (!exit) {
        out.append("{mask="), put_hex(out, ioctl_field<std::uint64_t>(b, 8)), out.push_back('}');
        return ioctl_step::more;
      }
      out.append("{bits="), put_hex(out, ioctl_field<std::uint64_t>(b, 0)), out.push_back('}');
      return ioctl_step::done;
    case 0xc010b40f:  // GPIO_V2_LINE_SET_VALUES_IOCTL
      if (exit) return ioctl_step::done;
      if (read(16)) {
        out.append("{bits="), put_hex(out, ioctl_field<std::uint64_t>(b, 0));
        out.append(", mask="), put_hex(out, ioctl_field<std::uint64_t>(b, 8)), out.push_back('}');
      }
      return ioctl_step::done;
    default:
      return ioctl_step::unknown;
  }
}

}  // namespace snare::format::detail
