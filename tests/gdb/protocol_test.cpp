// Tests of the GDB remote protocol layer: framing, escapes, run-length decoding, checksums,
// each request the parser knows, bad input, and each reply encoder.
#include <snare/gdb/protocol.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

using namespace snare::gdb;

namespace {

// Feeds `bytes` and returns what the reader reported, a packet as "$payload".
std::vector<std::string> read_all(packet_reader& r, std::string_view bytes) {
  std::vector<std::string> out;
  for (char c : bytes) {
    auto got = r.feed(c);
    if (!got) continue;
    switch (*got) {
      case packet_reader::kind::packet:
        out.push_back("$" + std::string(r.payload()));
        break;
      case packet_reader::kind::ack:
        out.emplace_back("+");
        break;
      case packet_reader::kind::nack:
        out.emplace_back("-");
        break;
      case packet_reader::kind::interrupt:
        out.emplace_back("^C");
        break;
      case packet_reader::kind::bad:
        out.emplace_back("bad");
        break;
    }
  }
  return out;
}

std::vector<std::string> read_all(std::string_view bytes) {
  packet_reader r;
  return read_all(r, bytes);
}

template <class T>
T parsed(std::string_view payload) {
  auto r = parse(payload);
  INFO("payload: " << payload);
  REQUIRE(std::holds_alternative<T>(r));
  return std::get<T>(r);
}

// Frames `body` as sent, without escaping it (frame() would escape it).
std::string raw(std::string_view body) {
  std::uint8_t cs = checksum(body);
  return "$" + std::string(body) + "#" + hex_digit(cs >> 4) + hex_digit(cs);
}

bool is_malformed(std::string_view payload) {
  return std::holds_alternative<request::malformed>(parse(payload));
}
bool is_unsupported(std::string_view payload) {
  return std::holds_alternative<request::unsupported>(parse(payload));
}

}  // namespace

TEST_CASE("a packet's checksum is the sum of its bytes modulo 256", "[gdb][protocol]") {
  STATIC_REQUIRE(checksum("") == 0);
  STATIC_REQUIRE(checksum("OK") == 0x9a);  // 'O' 0x4f + 'K' 0x4b
  STATIC_REQUIRE(checksum("qSupported") == 0x37);
  CHECK(frame("OK") == "$OK#9a");
  CHECK(frame("") == "$#00");
}

TEST_CASE("the reader splits the stream into packets, acks, nacks and interrupts", "[gdb][protocol]") {
  CHECK(read_all("+$OK#9a-\x03") == std::vector<std::string>{"+", "$OK", "-", "^C"});
  SECTION("bytes outside a packet that mean nothing are ignored") {
    CHECK(read_all("xyz\n$g#67") == std::vector<std::string>{"$g"});
  }
  SECTION("checksum digits in upper case are accepted") {
    CHECK(read_all("$OK#9A") == std::vector<std::string>{"$OK"});
  }
  SECTION("a packet split across reads is whole once its last byte comes") {
    packet_reader r;
    CHECK(read_all(r, "$qSupp").empty());
    CHECK(read_all(r, "orted#3").empty());
    CHECK(read_all(r, "7") == std::vector<std::string>{"$qSupported"});
  }
}

TEST_CASE("a bad checksum, a bad digit or a cut-off packet is reported bad", "[gdb][protocol]") {
  CHECK(read_all("$OK#9b") == std::vector<std::string>{"bad"});
  CHECK(read_all("$OK#zz") == std::vector<std::string>{"bad"});
  // A '$' inside a packet starts a new one: the old one is bad, the new one read.
  CHECK(read_all("$O$OK#9a") == std::vector<std::string>{"bad", "$OK"});
  SECTION("the reader goes on after a bad packet") {
    CHECK(read_all("$OK#00$OK#9a") == std::vector<std::string>{"bad", "$OK"});
  }
}

TEST_CASE("escapes and runs are undone; frame() escapes what must be", "[gdb][protocol]") {
  SECTION("} escapes the next byte, xor 0x20") {
    CHECK(read_all(raw("X0,1:}\x03")) == std::vector<std::string>{"$X0,1:#"});
    CHECK(read_all(raw("}]}\x04}\n")) == std::vector<std::string>{"$}$*"});
  }
  SECTION("a run repeats the byte before it n - 29 times more") {
    CHECK(read_all(raw("0* ")) == std::vector<std::string>{"$0000"});  // ' ' is 32: 3 more
    CHECK(read_all(raw("a*#b")).size() == 1);  // '#' cannot be a count: a bad frame, not a run
  }
  SECTION("a run with no byte before it, or a count out of range, is bad") {
    CHECK(read_all(raw("*#")) == std::vector<std::string>{"bad"});
    CHECK(read_all(raw("0*\x1d")) == std::vector<std::string>{"bad"});  // count 0
    CHECK(read_all(raw("0*")) == std::vector<std::string>{"bad"});
    CHECK(read_all(raw("0}")) == std::vector<std::string>{"bad"});
  }
  SECTION("frame() escapes $ # } * and its checksum covers what it sent") {
    std::string f = frame("a$b#c}d*e");
    CHECK(f == raw("a}\x04"
                   "b}\x03"
                   "c}]d}\x0a"
                   "e"));
    CHECK(read_all(f) == std::vector<std::string>{"$a$b#c}d*e"});
  }
  SECTION("every byte value survives frame() and the reader") {
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    auto got = read_all(frame(all));
    REQUIRE(got.size() == 1);
    CHECK(got[0] == "$" + all);
  }
}

TEST_CASE("memory is bounded: a packet longer than max_packet_size is bad", "[gdb][protocol]") {
  std::string huge(max_packet_size + 10, 'a');
  packet_reader r;
  CHECK(read_all(r, raw(huge)) == std::vector<std::string>{"bad"});
  SECTION("so is one whose runs would expand past it") {
    std::string body;
    for (std::size_t i = 0; i < max_packet_size / 4; ++i) body += "a*~";  // each 1 + 97 bytes
    CHECK(body.size() < max_packet_size);
    CHECK(read_all(r, raw(body)) == std::vector<std::string>{"bad"});
  }
  SECTION("the reader serves the next packet after either") {
    CHECK(read_all(r, "$OK#9a") == std::vector<std::string>{"$OK"});
  }
}

TEST_CASE("hex helpers decode and encode bytes", "[gdb][protocol]") {
  std::string out;
  CHECK(decode_hex("00ff7F", out));
  CHECK(out == std::string("\x00\xff\x7f", 3));
  std::string odd;
  CHECK_FALSE(decode_hex("abc", odd));
  std::string bad;
  CHECK_FALSE(decode_hex("zz", bad));
  std::string enc;
  append_hex(enc, std::string_view("\x01\xab", 2));
  CHECK(enc == "01ab");
}

TEST_CASE("the parser reads registers, memory and breakpoint requests", "[gdb][protocol]") {
  parsed<request::halt_reason>("?");
  parsed<request::read_registers>("g");
  CHECK(parsed<request::write_registers>("G0102").bytes == "\x01\x02");
  CHECK(parsed<request::read_register>("p10").number == 16);
  auto P = parsed<request::write_register>("P10=0100000000000000");
  CHECK(P.number == 16);
  CHECK(P.bytes == std::string("\x01\0\0\0\0\0\0\0", 8));
  auto m = parsed<request::read_memory>("m401000,40");
  CHECK(m.address == 0x401000);
  CHECK(m.length == 0x40);
  auto M = parsed<request::write_memory>("M1000,2:abcd");
  CHECK(M.address == 0x1000);
  CHECK(M.bytes == "\xab\xcd");
  auto X = parsed<request::write_memory>(std::string_view("X2000,3:\x00#}", 11));
  CHECK(X.address == 0x2000);
  CHECK(X.bytes == std::string("\x00#}", 3));
  CHECK(parsed<request::write_memory>("X2000,0:").bytes.empty());  // gdb's probe for X support
  auto Z = parsed<request::breakpoint>("Z0,401136,1");
  CHECK(Z.insert);
  CHECK(Z.type == 0);
  CHECK(Z.address == 0x401136);
  CHECK(Z.kind == 1);
  auto z = parsed<request::breakpoint>("z2,7ffe0000,8");
  CHECK_FALSE(z.insert);
  CHECK(z.type == 2);
  CHECK(z.kind == 8);
  for (char t : {'1', '3', '4'})
    CHECK(parsed<request::breakpoint>(std::string("Z") + t + ",10,4").type == unsigned(t - '0'));
}

TEST_CASE("the parser reads resume requests: vCont and the old c, C, s, S", "[gdb][protocol]") {
  parsed<request::resume_query>("vCont?");
  auto v = parsed<request::resume>("vCont;s:p1a.1b;c");
  REQUIRE(v.actions.size() == 2);
  CHECK(v.actions[0].op == 's');
  CHECK(v.actions[0].thread == thread_id{0x1a, 0x1b});
  CHECK(v.actions[1].op == 'c');
  CHECK_FALSE(v.actions[1].thread);
  auto sig = parsed<request::resume>("vCont;C0b:p5.-1;t");
  CHECK(sig.actions[0].op == 'c');
  CHECK(sig.actions[0].signal == 11);
  CHECK(sig.actions[0].thread == thread_id{5, -1});
  CHECK(sig.actions[1].op == 't');
  auto r = parsed<request::resume>("vCont;r401000,401020:p7.7;c");
  CHECK(r.actions[0].op == 'r');
  CHECK(r.actions[0].range_start == 0x401000);
  CHECK(r.actions[0].range_end == 0x401020);
  CHECK(parsed<request::resume>("vCont;S05").actions[0].op == 's');
  auto c = parsed<request::resume>("c");
  CHECK(c.actions.size() == 1);
  CHECK_FALSE(c.address);
  CHECK(*parsed<request::resume>("c401000").address == 0x401000);
  auto C = parsed<request::resume>("C0e;401000");
  CHECK(C.actions[0].signal == 14);
  CHECK(*C.address == 0x401000);
  CHECK(parsed<request::resume>("s").actions[0].op == 's');
  CHECK(parsed<request::resume>("S02").actions[0].signal == 2);
}

TEST_CASE("the parser reads threads in the multiprocess form", "[gdb][protocol]") {
  auto H = parsed<request::set_thread>("Hgp1f.20");
  CHECK(H.op == 'g');
  CHECK(H.thread == thread_id{0x1f, 0x20});
  CHECK(parsed<request::set_thread>("Hc-1").thread == thread_id{0, -1});
  CHECK(parsed<request::set_thread>("Hg0").thread == thread_id{0, 0});
  CHECK(parsed<request::set_thread>("Hgp3").thread == thread_id{3, -1});  // pPID alone: all its threads
  CHECK(parsed<request::thread_alive>("Tp3.4").thread == thread_id{3, 4});
  CHECK(parsed<request::thread_list>("qfThreadInfo").first);
  CHECK_FALSE(parsed<request::thread_list>("qsThreadInfo").first);
  parsed<request::current_thread>("qC");
}

TEST_CASE("the parser reads queries and settings", "[gdb][protocol]") {
  auto s = parsed<request::supported>("qSupported:multiprocess+;swbreak+;xmlRegisters=i386");
  CHECK(s.features.size() == 3);
  CHECK(s.has("multiprocess+"));
  CHECK(s.has("xmlRegisters=i386"));
  CHECK(parsed<request::supported>("qSupported").features.empty());
  auto x = parsed<request::xfer_read>("qXfer:features:read:target.xml:0,ffb");
  CHECK(x.object == "features");
  CHECK(x.annex == "target.xml");
  CHECK(x.offset == 0);
  CHECK(x.length == 0xffb);
  auto a = parsed<request::xfer_read>("qXfer:auxv:read::10,20");
  CHECK(a.annex.empty());
  CHECK(a.offset == 0x10);
  CHECK(parsed<request::xfer_read>("qXfer:exec-file:read:1f:0,100").annex == "1f");
  CHECK_FALSE(parsed<request::attached>("qAttached").pid);
  CHECK(*parsed<request::attached>("qAttached:1a").pid == 0x1a);
  CHECK(parsed<request::monitor>("qRcmd,68656c70").command == "help");
  parsed<request::start_no_ack>("QStartNoAckMode");
  auto cs = parsed<request::catch_syscalls>("QCatchSyscalls:1;101;3c");
  CHECK(cs.enable);
  CHECK(cs.numbers == std::vector<long>{0x101, 0x3c});
  CHECK(parsed<request::catch_syscalls>("QCatchSyscalls:1").numbers.empty());
  CHECK_FALSE(parsed<request::catch_syscalls>("QCatchSyscalls:0").enable);
  CHECK(parsed<request::thread_events>("QThreadEvents:1").enable);
  CHECK_FALSE(parsed<request::thread_events>("QThreadEvents:0").enable);
  auto pass = parsed<request::signal_set>("QPassSignals:e;1e;4c;");  // gdb's numbers, a trailing ';'
  CHECK_FALSE(pass.program);
  CHECK(pass.signals == std::vector<unsigned>{0xe, 0x1e, 0x4c});
  CHECK(parsed<request::signal_set>("QPassSignals:").signals.empty());
  auto program = parsed<request::signal_set>("QProgramSignals:1;2");
  CHECK(program.program);
  CHECK(program.signals == std::vector<unsigned>{1, 2});
}

TEST_CASE("the parser reads detach, kill and Host I/O", "[gdb][protocol]") {
  CHECK_FALSE(parsed<request::detach>("D").pid);
  CHECK(*parsed<request::detach>("D;2a").pid == 0x2a);
  CHECK_FALSE(parsed<request::kill>("k").pid);
  CHECK(*parsed<request::kill>("vKill;2a").pid == 0x2a);
  auto open = parsed<request::file_io>("vFile:open:2f6574632f686f737473,0,1a4");
  CHECK(open.op == "open");
  CHECK(open.path == "/etc/hosts");
  CHECK(open.args == std::vector<std::int64_t>{0, 0x1a4});
  auto pread = parsed<request::file_io>("vFile:pread:5,1000,20");
  CHECK(pread.args == std::vector<std::int64_t>{5, 0x1000, 0x20});
  auto pwrite = parsed<request::file_io>(std::string_view("vFile:pwrite:5,0,\x00\x01", 19));
  CHECK(pwrite.args == std::vector<std::int64_t>{5, 0});
  CHECK(pwrite.data == std::string("\x00\x01", 2));
  CHECK(parsed<request::file_io>("vFile:close:5").args == std::vector<std::int64_t>{5});
  CHECK(parsed<request::file_io>("vFile:setfs:0").args == std::vector<std::int64_t>{0});
  CHECK(parsed<request::file_io>("vFile:fstat:3").args == std::vector<std::int64_t>{3});
}

TEST_CASE("memory reads and qXfer chunks longer than a packet holds are cut to max_read_size",
          "[gdb][protocol]") {
  CHECK(parsed<request::read_memory>("m0,ffffffffffffffff").length == max_read_size);
  CHECK(parsed<request::xfer_read>("qXfer:auxv:read::0,ffffffff").length == max_read_size);
  STATIC_REQUIRE(2 * max_read_size + 32 < max_packet_size);
}

TEST_CASE("packets snare does not implement get the empty reply", "[gdb][protocol]") {
  for (auto p : {"vMustReplyEmpty", "qTStatus", "qOffsets", "QNonStop:1", "vRun;", "!", "R00", "i", "bc",
                 "qXfer:features:write:x:0:", "vFile:lstat:2f", "qSymbol::", ""})
    CHECK(is_unsupported(p));
  CHECK(std::get<request::unsupported>(parse("qTStatus")).name == "qTStatus");
  CHECK(std::get<request::unsupported>(parse("vFile:lstat:2f")).name == "vFile:lstat");
}

TEST_CASE("malformed arguments are refused, never guessed", "[gdb][protocol]") {
  for (auto p : {"gx",
                 "?x",
                 "G0",
                 "Gzz",
                 "p",
                 "pzz",
                 "P10",
                 "P10=z",
                 "m",
                 "m10",
                 "m10,",
                 "mzz,1",
                 "m10,1x",
                 "m10000000000000000,1",
                 "M10,2:ab",
                 "M10,1:abcd",
                 "X10,2:a",
                 "Z5,10,1",
                 "Z0,10",
                 "Z0,10,1;X",
                 "H",
                 "Hx0",
                 "Hg",
                 "Hgpz",
                 "Tzz",
                 "D;",
                 "D;zz",
                 "vCont;",
                 "vCont;x",
                 "vCont;C",
                 "vCont;Czz",
                 "vCont;c:",
                 "vCont;r10",
                 "vCont;r10,",
                 "vCont;cc",
                 "CGG",
                 "C1ff",
                 "c10x",
                 "qXfer:auxv",
                 "qXfer:auxv:read:",
                 "qXfer:auxv:read::0",
                 "qXfer:auxv:read::0,",
                 "qAttached:zz",
                 "qRcmd,6",
                 "qRcmd,zz",
                 "QCatchSyscalls:2",
                 "QCatchSyscalls:1;",
                 "QCatchSyscalls:1;zz",
                 "QThreadEvents:2",
                 "QPassSignals:zz",
                 "QPassSignals:100",
                 "QPassSignals:1,2",
                 "QProgramSignals:;;",
                 "vKill;",
                 "vFile:open:zz,0,0",
                 "vFile:pread:1",
                 "vFile:close:",
                 "vFile:fstat:x",
                 "Hgp80000000.1"})
    CHECK(is_malformed(p));
  SECTION("lists are bounded") {
    std::string many = "vCont";
    for (int i = 0; i < 65; ++i) many += ";c:p1." + std::to_string(i + 1);
    CHECK(is_malformed(many));
  }
}

TEST_CASE("gdb's signal numbers differ from Linux's above 6", "[gdb][protocol]") {
  STATIC_REQUIRE(to_gdb_signal(5) == 5);     // SIGTRAP
  STATIC_REQUIRE(to_gdb_signal(10) == 30);   // SIGUSR1
  STATIC_REQUIRE(to_gdb_signal(7) == 10);    // SIGBUS
  STATIC_REQUIRE(to_gdb_signal(17) == 20);   // SIGCHLD
  STATIC_REQUIRE(to_gdb_signal(19) == 17);   // SIGSTOP
  STATIC_REQUIRE(to_gdb_signal(16) == 143);  // SIGSTKFLT: gdb has none
  STATIC_REQUIRE(to_gdb_signal(34) == 46);   // SIGRTMIN+2 on glibc (SIG34)
  STATIC_REQUIRE(to_gdb_signal(32) == 77);
  for (int s = 1; s <= 64; ++s)
    if (s != 16) CHECK(from_gdb_signal(to_gdb_signal(s)) == s);
  CHECK(from_gdb_signal(143) == 0);
}

TEST_CASE("reply encoders write what the manual specifies", "[gdb][protocol]") {
  CHECK(reply::ok() == "OK");
  CHECK(reply::error(22) == "E16");
  CHECK(reply::error(1000) == "Eff");
  CHECK(reply::unsupported().empty());
  CHECK(reply::stopped(5, {0x1a, 0x1b}) == "T05thread:p1a.1b;");
  CHECK(reply::stopped(5, {1, 1}, {reply::stop_reason::kind::swbreak}) == "T05thread:p1.1;swbreak:;");
  CHECK(reply::stopped(5, {1, 2}, {reply::stop_reason::kind::syscall_entry, 0x101}) ==
        "T05thread:p1.2;syscall_entry:101;");
  CHECK(reply::stopped(5, {1, 2}, {reply::stop_reason::kind::syscall_return, 0}) ==
        "T05thread:p1.2;syscall_return:0;");
  CHECK(reply::stopped(10, {1, 1}, {}, 3) == "T1ethread:p1.1;core:3;");
  reply::stop_reason fork(reply::stop_reason::kind::fork);
  fork.child = {0x20, 0x20};
  CHECK(reply::stopped(5, {1, 1}, fork) == "T05thread:p1.1;fork:p20.20;");
  fork.what = reply::stop_reason::kind::vfork;
  CHECK(reply::stopped(5, {1, 1}, fork) == "T05thread:p1.1;vfork:p20.20;");
  CHECK(reply::stopped(5, {1, 1}, {reply::stop_reason::kind::vforkdone}) == "T05thread:p1.1;vforkdone:;");
  reply::stop_reason exec(reply::stop_reason::kind::exec);
  exec.exec_path = "/a";
  CHECK(reply::stopped(5, {1, 1}, exec) == "T05thread:p1.1;exec:2f61;");
  reply::stop_reason watch(reply::stop_reason::kind::watch);
  watch.address = 0x4010;
  CHECK(reply::stopped(5, {1, 1}, watch) == "T05thread:p1.1;watch:4010;");
  watch.what = reply::stop_reason::kind::awatch;
  CHECK(reply::stopped(5, {1, 1}, watch) == "T05thread:p1.1;awatch:4010;");
  CHECK(reply::stopped(5, {1, 1}, {reply::stop_reason::kind::hwbreak}) == "T05thread:p1.1;hwbreak:;");
  CHECK(reply::exited(0x2a, 3) == "W03;process:2a");
  CHECK(reply::killed(0x2a, 9) == "X09;process:2a");
  CHECK(reply::killed(0x2a, 10) == "X1e;process:2a");
  CHECK(reply::console("hi\n") == "O68690a");
  CHECK(reply::current_thread({5, 6}) == "QCp5.6");
  std::vector<thread_id> ts{{5, 5}, {5, 6}};
  CHECK(reply::thread_list(ts) == "mp5.5,p5.6");
  CHECK(reply::thread_list({}) == "l");
  CHECK(reply::xfer_chunk("abcdef", 0, 4) == "mabcd");
  CHECK(reply::xfer_chunk("abcdef", 4, 4) == "lef");
  CHECK(reply::xfer_chunk("abcdef", 6, 4) == "l");
  CHECK(reply::xfer_chunk("abcdef", 100, 4) == "l");
  CHECK(reply::file_result(3) == "F3");
  CHECK(reply::file_result(-1, 2) == "F-1,2");
  CHECK(reply::file_result(2, 0, "ab") == "F2;ab");
  const std::byte regs[3] = {std::byte{0x01}, std::byte{0xab}, std::byte{0}};
  CHECK(reply::hex(regs) == "01ab00");
}

TEST_CASE("the x86-64 register file is gdb's amd64 numbering", "[gdb][protocol]") {
  using namespace snare::gdb::x86_64;
  STATIC_REQUIRE(registers[rip].name == "rip");
  STATIC_REQUIRE(registers[eflags].bits == 32);
  STATIC_REQUIRE(offset_of(rip) == 128);
  STATIC_REQUIRE(offset_of(st0) == 136 + 7 * 4);
  STATIC_REQUIRE(offset_of(orig_rax) == file_size - 24);
  STATIC_REQUIRE(size_of(st0) == 10);
  STATIC_REQUIRE(size_of(xmm0) == 16);
  std::string xml = target_description();
  CHECK(xml.find("<architecture>i386:x86-64</architecture>") != std::string::npos);
  CHECK(xml.find("<feature name=\"org.gnu.gdb.i386.core\">") != std::string::npos);
  CHECK(xml.find("<reg name=\"xmm0\" bitsize=\"128\" type=\"vec128\" regnum=\"40\"/>") != std::string::npos);
  CHECK(xml.find("<reg name=\"orig_rax\" bitsize=\"64\" type=\"int\" regnum=\"57\"/>") != std::string::npos);
  CHECK(xml.find("<reg name=\"gs_base\" bitsize=\"64\" type=\"int\" regnum=\"59\"/>") != std::string::npos);
}
