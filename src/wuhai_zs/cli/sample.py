"""`wuhai-zs sample`: the bundled sample ledgers, copied out so a user can see the format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wuhai_zs.cli.options import ForceOption

HELP = (
    "把内置示例台账（示例数据，合成）复制到一个文件夹，供参照格式。"
    "文件夹里已有同名文件时不覆盖，除非加 --force。"
)


def command(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="文件夹",
            help="目标文件夹（不存在则创建）。",
            show_default=False,
        ),
    ],
    force: ForceOption = False,
) -> None:
    import shutil

    from wuhai_zs.cli.output import check_folder, make_folder
    from wuhai_zs.errors import UsageError, os_reason
    from wuhai_zs.ledgers.sources import SAMPLE_MARKER, sample_path

    source = sample_path()
    files = sorted(p for p in source.iterdir() if p.is_file() and not p.name.startswith("."))
    marker = source / SAMPLE_MARKER
    check_folder(output, [p.name for p in files], force)
    make_folder(output)
    try:
        for path in files:
            shutil.copyfile(path, output / path.name)
        if marker.is_file():  # the copy is still the synthetic sample: outputs keep saying so
            shutil.copyfile(marker, output / SAMPLE_MARKER)
    except OSError as exc:
        raise UsageError(f"{output}: 无法写入（{os_reason(exc)}）") from exc
    print(
        f"已复制 {len(files)} 个示例文件（示例数据，合成）到 {output}："
        f"{'、'.join(p.name for p in files)}"
    )
