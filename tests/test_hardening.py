"""Hostile and broken ledgers: findings or one clean error, never a crash, a loss or a bomb."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wuhai_zs.errors import WuhaiError
from wuhai_zs.ledgers.load import load
from wuhai_zs.pipeline import check
from wuhai_zs.plan.model import load_plan

from conftest import FUZZ_SCALE, PROJECT_HEADER, arrival, project, write_csv, write_xlsx


def _outcome(folder: Path) -> str:
    """'ok' when the ledgers were read (findings or not), else the one-line error."""
    try:
        checked = check(load(folder), load_plan(), None)
    except WuhaiError as exc:
        return str(exc)
    for stats in checked.report.ledgers.values():
        assert stats.read == stats.accepted + stats.rejected + stats.skipped
    return "ok"


def _valid_csv(tmp_path: Path) -> bytes:
    path = write_csv(tmp_path / "src.csv", [project(f"P{i}") for i in range(20)])
    return path.read_bytes()


@settings(
    max_examples=25 * FUZZ_SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(min_size=0, max_size=2000))
def test_random_bytes_never_escape_the_core(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "项目台账.csv").write_bytes(data)
    _outcome(tmp_path)


@settings(
    max_examples=25 * FUZZ_SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(cut=st.integers(min_value=1, max_value=4000))
def test_truncated_csv_is_read_or_refused(tmp_path: Path, cut: int) -> None:
    data = _valid_csv(tmp_path)
    (tmp_path / "项目台账.csv").write_bytes(data[: cut % len(data) or 1])
    _outcome(tmp_path)


def test_truncated_xlsx_is_one_clean_error(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "src" / "台账.xlsx", {"项目台账": [PROJECT_HEADER]})
    data = source.read_bytes()
    for cut in (10, len(data) // 3, len(data) - 30):
        folder = tmp_path / f"cut{cut}"
        folder.mkdir()
        (folder / "台账.xlsx").write_bytes(data[:cut])
        assert "台账.xlsx" in _outcome(folder)


def test_csv_cut_mid_row_rejects_that_row_only(tmp_path: Path) -> None:
    data = _valid_csv(tmp_path)
    (tmp_path / "项目台账.csv").write_bytes(data[: data.rfind(b"\r\n", 0, len(data) - 2) + 12])
    checked = check(load(tmp_path), load_plan(), None)
    stats = checked.report.ledgers["projects"]
    assert (stats.read, stats.accepted, stats.rejected) == (20, 19, 1)
    assert {f.row for f in checked.report.findings if f.severity == "error"} == {21}


def test_wrong_encoding_declared_by_nobody_is_decided_from_bytes(tmp_path: Path) -> None:
    write_csv(tmp_path / "项目台账.csv", [project("P1", 项目名称="乌海某项目")], encoding="gb18030")
    assert load(tmp_path).ledgers["projects"].frame["name"].tolist() == ["乌海某项目"]


def test_header_only_and_million_empty_rows(tmp_path: Path) -> None:
    header = ",".join(PROJECT_HEADER) + "\n"
    (tmp_path / "项目台账.csv").write_text(header + "\n" * 1_000_000 + ",,,\n" * 1000, "utf-8")
    data = load(tmp_path)
    stats = data.ledgers["projects"].stats
    assert stats.read == 1_001_000 and stats.skipped == 1_001_000 and stats.accepted == 0
    (tmp_path / "项目台账.csv").write_text(header, "utf-8")
    assert load(tmp_path).ledgers["projects"].stats.read == 0


def test_megabyte_cell_duplicated_header_formula_and_far_dates(tmp_path: Path) -> None:
    header = [*PROJECT_HEADER, "项目名称"]
    rows = [
        project("P1", 项目名称="长" * 1_000_000),
        project("P2", 投资方='=HYPERLINK("http://x","y")', 签约日期="1900-01-01"),
        project("P3", 签约日期="2999-12-31"),
    ]
    write_csv(tmp_path / "项目台账.csv", rows, header=header)
    checked = check(load(tmp_path), load_plan(), None)
    codes = {(f.code, f.row) for f in checked.report.findings}
    assert ("duplicate-column", 1) in codes
    assert ("bad-date", 3) in codes and ("bad-date", 4) in codes
    frame = checked.data.ledgers["projects"].frame
    assert len(frame.loc[0, "name"]) == 1_000_000
    assert frame.loc[1, "investor"] == '=HYPERLINK("http://x","y")'


def test_xlsx_formula_without_a_value_is_an_error_on_its_cell(tmp_path: Path) -> None:
    grid = [PROJECT_HEADER, [project("P1")[h] for h in PROJECT_HEADER]]
    grid[1][PROJECT_HEADER.index("总投资（万元）")] = "=1000*20"
    write_xlsx(tmp_path / "台账.xlsx", {"项目台账": grid})
    checked = check(load(tmp_path), load_plan(), None)
    # openpyxl stores no computed value: an error on that cell, never a blank or a zero.
    found = [f for f in checked.report.findings if f.severity == "error"]
    assert [(f.code, f.row, f.column, f.value) for f in found] == [
        ("formula-no-value", 2, "总投资（万元）", "=1000*20")
    ]
    assert checked.report.ledgers["projects"].rejected == 1


def _raw_zip(path: Path, members: dict[str, tuple[bytes, int, int, int]]) -> None:
    """A zip whose members are given as (deflated bytes, inflated size, crc, method)."""
    out = bytearray()
    central = bytearray()
    for name, (payload, size, crc, method) in members.items():
        encoded = name.encode()
        offset = len(out)
        out += (
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(payload),
                size,
                len(encoded),
                0,
            )
            + encoded
            + payload
        )
        central += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(payload),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0
    )
    path.write_bytes(bytes(out + central + end))


def _zip_bomb(path: Path, inflated: int = 1_600_000_000) -> None:
    """An .xlsx of about 1.6 MB whose sheet inflates to 1.6 GB of blanks (a valid deflate)."""
    head = b'<?xml version="1.0"?><worksheet><sheetData>'
    chunk = b" " * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeats = (inflated - len(head)) // len(chunk)
    tail = b"</sheetData></worksheet>"
    last = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + repeats * len(chunk) + len(tail)
    payload = first + block * repeats + last
    _raw_zip(path, {"xl/worksheets/sheet1.xml": (payload, size, crc, 8)})


def _run_measured(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run the CLI in a child and return its peak RSS in MB."""
    code = (
        "import resource, subprocess, sys, json;"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024;"
        "print(json.dumps([r.returncode, r.stdout, r.stderr, peak]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, sys.executable, "-m", "wuhai_zs", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    rc, stdout, stderr, peak = json.loads(out.stdout)
    return subprocess.CompletedProcess(args, rc, stdout, stderr), peak


def test_zip_bomb_is_refused_from_the_directory(tmp_path: Path) -> None:
    bomb = tmp_path / "台账.xlsx"
    _zip_bomb(bomb)
    assert bomb.stat().st_size < 4_000_000
    result, peak_mb = _run_measured("validate", "--data", str(bomb))
    assert result.returncode == 2, result.stderr
    assert "台账.xlsx" in result.stderr and "压缩炸弹" in result.stderr
    assert "Traceback" not in result.stderr
    assert peak_mb < 300


def test_xml_entity_bomb_is_refused(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "src.xlsx", {"项目台账": [PROJECT_HEADER]})
    lol = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )
    bomb = tmp_path / "data" / "台账.xlsx"
    bomb.parent.mkdir()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = text.replace("?>", "?>" + lol, 1).replace(
                    "<sheetData>",
                    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;'
                    "</t></is></c></row>",
                    1,
                )
                data = text.encode()
            dst.writestr(item, data)
    result, peak_mb = _run_measured("validate", "--data", str(bomb.parent))
    assert result.returncode == 2, result.stderr
    assert "台账.xlsx" in result.stderr and "entity" in result.stderr
    assert "Traceback" not in result.stderr
    assert peak_mb < 300


def test_openpyxl_reads_through_defusedxml(tmp_path: Path) -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


# Run in a child process with a given PYTHONHASHSEED: each command's stdout, and the bytes of
# the workbook `export` writes (a set or dict whose order follows string hashes would differ).
_RUN_ALL = """
import contextlib, io, json, sys
from pathlib import Path
from wuhai_zs.cli.app import main

outputs = []
for args in json.loads(sys.argv[1]):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        try:
            main(args)
        except SystemExit:
            pass
    outputs.append(buffer.getvalue().replace(sys.argv[2], "OUTPUT"))
outputs.append(Path(sys.argv[2]).read_bytes().hex())
print(json.dumps(outputs))
"""


def _outputs(data: Path, out: Path, seed: str) -> list[str]:
    common = ["--data", str(data), "--as-of", "2024-06-30"]
    commands = [
        ["targets", "--json", *common],
        ["validate", "-f", "json", *common],
        ["projects", "--json", *common],
        ["projects", "--warnings", "--json", *common],
        ["districts", "--json", "--period", "plan", *common],
        ["dispatch", "--json", *common],
        ["export", "--output", str(out), *common],
    ]
    env = {**os.environ, "PYTHONHASHSEED": seed, "WUHAI_ZS_TODAY": "2026-12-01"}
    done = subprocess.run(
        [sys.executable, "-c", _RUN_ALL, json.dumps(commands), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    outputs: list[str] = json.loads(done.stdout)
    assert all(outputs), outputs  # every command printed (or wrote) something
    return outputs


def test_same_ledgers_give_byte_identical_output_whatever_the_hash_seed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_csv(
        data / "项目台账.csv",
        [
            project("P1", 企业标签="央企、上市公司"),
            project("P2", 所属区="海淀区"),
            project("P3", 所属区="乌达区", 所在园区="乌达产业园", 来源地区="京津冀"),
            project("P4", 所属区="高新区", 所在园区="", 来源地区="境外", 来源国别="德国"),
            project(
                "P5",
                飞地类型="飞出",
                飞出地="海南区",
                飞入地="集宁先进制造业集中区",
                飞出地分成比例="60%",
                产业类别="光伏",
                **{"总投资（万元）": 150000},
            ),
        ],
    )
    write_csv(
        data / "到位资金台账.csv",
        [
            arrival("P1", "2024-01-05", 10),
            arrival("P3", "2024-02-05", 20),
            arrival("P4", "2024-03-05", 30, **{"外资金额（万美元）": 4}),
            arrival("P5", "2024-04-05", 40),
        ],
    )
    first = _outputs(data, tmp_path / "a.xlsx", "1")
    second = _outputs(data, tmp_path / "b.xlsx", "2")
    for a, b in zip(first, second, strict=True):
        assert a == b
