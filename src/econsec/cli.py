"""The econsec command line (Typer + rich).

Each capability package contributes its commands through a ``register(app)`` function in its
own ``cli`` module, listed in ``_CAPABILITIES``; this file only wires them together.

Exit codes: 0 success, 1 the input had errors (nothing written), 2 usage error.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="econsec",
    help="Economic-security management workbench / 経済安全保障経営ワークベンチ",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

_CAPABILITIES = [
    "econsec.valuechain.cli",
    "econsec.demo",
    "econsec.stress.cli",
    "econsec.planning.cli",
    "econsec.valuechain.generators.cli",
    "econsec.screening.cli",
    "econsec.guideline.cli",
    "econsec.exposure.cli",
    "econsec.web.cli",
]


def _register_all() -> None:
    for module_name in _CAPABILITIES:
        importlib.import_module(module_name).register(app)


_register_all()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
