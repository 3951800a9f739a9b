"""Runs a unittest module and, under `bazel test`, writes each case's result to the JUnit
XML file Bazel asks for ($XML_OUTPUT_FILE), so that CI counts test cases, not scripts.

    if __name__ == "__main__":
        pyunit.main()
"""
import os
import sys
import time
import unittest
from xml.etree import ElementTree as ET


class _Result(unittest.TextTestResult):
    def startTest(self, test):
        self._started = time.monotonic()
        super().startTest(test)

    def _record(self, test, kind=None, detail=""):
        self.cases = getattr(self, "cases", [])
        self.cases.append((test.id(), time.monotonic() - self._started, kind, detail))

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failure", self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, "error", self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skipped", reason)


def _write_xml(path, cases):
    suite = ET.Element("testsuite", name=os.path.basename(sys.argv[0]), tests=str(len(cases)),
                       failures=str(sum(c[2] == "failure" for c in cases)),
                       errors=str(sum(c[2] == "error" for c in cases)))
    for name, seconds, kind, detail in cases:
        case = ET.SubElement(suite, "testcase", name=name, time=f"{seconds:.3f}")
        if kind:
            ET.SubElement(case, kind, message=detail.splitlines()[-1] if detail else "").text = detail
    root = ET.Element("testsuites")
    root.append(suite)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def main(module="__main__"):
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[module])
    runner = unittest.TextTestRunner(verbosity=2, resultclass=_Result)
    result = runner.run(suite)
    path = os.environ.get("XML_OUTPUT_FILE")
    if path:
        _write_xml(path, getattr(result, "cases", []))
    sys.exit(0 if result.wasSuccessful() else 1)
