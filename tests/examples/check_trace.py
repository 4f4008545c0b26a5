#!/usr/bin/env python3
"""Validates a snare-trace output file: JSON of the trace event format, complete events with
the fields Perfetto needs, every track named, and events on one thread track properly nested
(none starts inside another and ends after it). Prints a summary line per fact for the
test to check; exits 1 with the reason on the first violation."""
import collections
import json
import sys


def fail(why):
    print("INVALID: " + why)
    sys.exit(1)


def main(path):
    with open(path) as f:
        data = json.load(f)
    events = data.get("traceEvents")
    if not isinstance(events, list) or not events:
        fail("no traceEvents list")
    tracks = collections.defaultdict(list)
    names = collections.Counter()
    process_names, thread_names = {}, {}
    for e in events:
        ph = e.get("ph")
        if ph == "M":
            target = process_names if e.get("name") == "process_name" else thread_names
            target[(e["pid"], e["tid"]) if target is thread_names else e["pid"]] = e["args"]["name"]
            continue
        if ph != "X":
            fail("unexpected phase %r" % ph)
        for field in ("name", "ts", "dur", "pid", "tid", "args"):
            if field not in e:
                fail("event without %s: %r" % (field, e))
        if e["dur"] < 0:
            fail("negative duration: %r" % e)
        if "return" not in e["args"]:
            fail("event without a return arg: %r" % e)
        tracks[(e["pid"], e["tid"])].append((e["ts"], e["ts"] + e["dur"], e["name"]))
        names[e["name"]] += 1
    for (pid, tid), evs in tracks.items():
        if pid not in process_names:
            fail("process %d has no process_name" % pid)
        if tid != pid and (pid, tid) not in thread_names:
            fail("thread %d has no thread_name" % tid)
        evs.sort()
        stack = []
        for start, end, name in evs:
            while stack and stack[-1][1] <= start:
                stack.pop()
            if stack and end > stack[-1][1]:
                fail("%s on thread %d overlaps %s without nesting" % (name, tid, stack[-1][2]))
            stack.append((start, end, name))
    print("tracks %d" % len(tracks))
    print("processes %d" % len(process_names))
    for name, n in sorted(names.items()):
        print("calls %s %d" % (name, n))
    print("VALID")


if __name__ == "__main__":
    main(sys.argv[1])
