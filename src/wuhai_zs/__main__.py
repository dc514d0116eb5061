"""Entry point for `python -m wuhai_zs`."""

from wuhai_zs.cli.app import main

main()
