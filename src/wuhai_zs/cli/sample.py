"""`wuhai-zs sample`: the bundled sample ledgers, copied out so a user can see the format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

HELP = (
    "把内置示例台账（合成数据）复制到一个文件夹，供参照格式；已有同名文件时不覆盖（除非 --force）。"
)


def command(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="目标文件夹（不存在则创建）。", show_default=False),
    ],
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的同名文件。")] = False,
) -> None:
    import shutil

    from wuhai_zs.errors import UsageError
    from wuhai_zs.ledgers.sources import SAMPLE_MARKER, sample_path

    source = sample_path()
    files = sorted(p for p in source.iterdir() if p.is_file() and not p.name.startswith("."))
    marker = source / SAMPLE_MARKER
    if output.exists() and not output.is_dir():
        raise UsageError(f"{output}: 已存在同名文件，不是文件夹")
    clashes = [p.name for p in files if (output / p.name).exists()]
    if clashes and not force:
        raise UsageError(f"{output}: 已有 {'、'.join(clashes)}，未覆盖（加 --force 覆盖）")
    try:
        output.mkdir(parents=True, exist_ok=True)
        for path in files:
            shutil.copyfile(path, output / path.name)
        if marker.is_file():  # the copy is still the synthetic sample: outputs keep saying so
            shutil.copyfile(marker, output / SAMPLE_MARKER)
    except OSError as exc:
        raise UsageError(f"{output}: 无法写入（{exc.strerror or exc}）") from exc
    print(
        f"已复制 {len(files)} 个示例文件（合成数据）到 {output}：{'、'.join(p.name for p in files)}"
    )
