"""Counts real test results after `bazel test`: reads Bazel's summary from a log (the
targets and their status), then each target's test.xml for its test cases (a GoogleTest
binary counts its cases; a script counts as one). Prints 'N passed, N failed'.

usage: count_tests.py BAZEL_LOG [TESTLOGS_DIR]
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

STATUS = re.compile(r"^(//\S+)\s+(?:\(cached\)\s+)?(PASSED|FAILED|TIMEOUT|FLAKY|NO STATUS|FAILED TO BUILD|INCOMPLETE|SKIPPED)\b")


def cases(xml_path):
    """(passed, failed) test cases in a test.xml, or None if unreadable."""
    try:
        root = ET.parse(xml_path).getroot()
    except (OSError, ET.ParseError):
        return None
    passed = failed = 0
    for case in root.iter("testcase"):
        if case.get("status") == "notrun" or case.find("skipped") is not None:
            continue
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        else:
            passed += 1
    return passed, failed


def main(log, testlogs):
    passed = failed = 0
    with open(log, errors="replace") as f:
        for line in f:
            m = STATUS.match(line.strip())
            if not m:
                continue
            target, status = m.groups()
            xml = os.path.join(testlogs, target[2:].replace(":", "/"), "test.xml")
            counted = cases(xml) if status in ("PASSED", "FAILED", "FLAKY") else None
            if counted is None or counted == (0, 0):
                counted = (1, 0) if status in ("PASSED", "FLAKY") else (0, 1)
            elif status == "FAILED" and counted[1] == 0:
                counted = (counted[0], 1)  # crashed or timed out after its cases passed
            passed += counted[0]
            failed += counted[1]
            print(f"{target}: {status} ({counted[0]} passed, {counted[1]} failed)")
    return passed, failed


if __name__ == "__main__":
    p, f = main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "bazel-testlogs")
    print(f"{p} passed, {f} failed")
