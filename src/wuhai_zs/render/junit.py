"""Findings as JUnit XML, the test report GitLab, Jenkins and most CI systems read."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from wuhai_zs.findings import Finding, ValidationReport
from wuhai_zs.ledgers.columns import LEDGERS

# Characters XML 1.0 cannot carry (ledger cells may hold them).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
SEVERITY_ZH = {"error": "错误", "warning": "警告"}


def _text(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def ci_path(file: str, data_root: Path | None) -> str:
    """A finding's file as the repository sees it (the --data path joined with the file)."""
    if data_root is None:
        return file
    return (data_root / file).as_posix() if data_root.is_dir() else data_root.as_posix()


def _where(f: Finding) -> str:
    sheet = f" [{f.sheet}]" if f.sheet else ""
    row = f" 第{f.row}行" if f.row else ""
    column = f" {f.column}" if f.column else ""
    return f"{f.file}{sheet}{row}{column}"


def junit_xml(
    report: ValidationReport,
    findings: list[Finding],
    data_root: Path | None,
    strict: bool = False,
) -> str:
    """One test suite per ledger: one passing case per source read, and one case per finding.

    Errors are failures; warnings are failures only with --strict (otherwise passing cases
    whose output holds the message), matching validate's exit code."""
    suites = ET.Element("testsuites", name="wuhai-zs validate")
    by_ledger: dict[str, list[Finding]] = {}
    for f in findings:
        by_ledger.setdefault(f.ledger, []).append(f)
    keys = [k for k in LEDGERS if k in report.ledgers or k in by_ledger]
    keys += [k for k in by_ledger if k not in keys]
    total = failed = 0
    for key in keys:
        spec = LEDGERS.get(key)
        suite = ET.SubElement(suites, "testsuite", name=spec.stem_zh if spec else key or "文件")
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="as_of", value=report.as_of)
        tests = failures = 0
        stats = report.ledgers.get(key)
        for file, sheet in stats.sources if stats else []:
            ET.SubElement(
                suite,
                "testcase",
                classname=f"wuhai-zs.{key}",
                name=_text(file + (f" [{sheet}]" if sheet else "") + " 已读取"),
                file=_text(ci_path(file, data_root)),
            )
            tests += 1
        for f in by_ledger.get(key, []):
            attrs = {
                "classname": f"wuhai-zs.{key or 'file'}.{f.code}",
                "name": _text(f"{_where(f)}：{f.code}"),
                "file": _text(ci_path(f.file, data_root)),
            }
            if f.row:
                attrs["line"] = str(f.row)
            case = ET.SubElement(suite, "testcase", attrs)
            message = _text(f"{SEVERITY_ZH[f.severity]} {_where(f)}：{f.message}")
            if f.severity == "error" or strict:
                failure = ET.SubElement(case, "failure", message=message, type=f.code)
                failure.text = message + (f"\n值：{_text(f.value)}" if f.value else "")
                failures += 1
            else:
                ET.SubElement(case, "system-out").text = message
            tests += 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        total += tests
        failed += failures
    suites.set("tests", str(total))
    suites.set("failures", str(failed))
    suites.set("errors", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")
