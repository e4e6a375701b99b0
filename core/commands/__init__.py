"""Headless commands with a module of their own: each has `add_arguments(parser)` and `run(args)`.

`tongket.core.cli` lists them in `MODULE_COMMANDS` and builds their subcommands from these.
"""
