"""The econsec command line (Typer + rich).

Each capability package contributes its commands through a ``register(app)`` function in its
own ``cli`` module, listed in ``_CAPABILITIES``; this file only wires them together.

Exit codes: 0 success, 1 the input had errors (nothing written), 2 usage error.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated, Any

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
    "econsec.reports.cli",
    "econsec.governance.cli",
    "econsec.technology.cli",
    "econsec.monitoring.cli",
    "econsec.web.cli",
    "econsec.survey.cli",
]


def _register_all() -> None:
    for module_name in _CAPABILITIES:
        importlib.import_module(module_name).register(app)


_register_all()


@app.callback()
def _top(
    lang: Annotated[
        str | None, typer.Option("--lang", help="ja or en (default: from the locale)")
    ] = None,
) -> None:
    # ``econsec --lang ja COMMAND`` sets the language for the command too.
    if lang:
        os.environ["ECONSEC_LANG"] = lang


def _command_name(info: typer.models.CommandInfo) -> str:
    callback = info.callback
    return info.name or (callback.__name__.replace("_", "-") if callback else "")


def _localise_below(group: typer.Typer, prefix: str, lang: str) -> None:
    """A group's commands and subgroups in ``lang`` where ``<prefix>.<name>`` has a message."""
    from econsec.i18n import catalog, t

    known = catalog()
    for info in group.registered_commands:
        key = f"{prefix}.{_command_name(info)}"
        if key in known:
            info.help = t(key, lang)
    for sub in group.registered_groups:
        key = f"{prefix}.{sub.name}"
        if key in known and sub.typer_instance is not None:
            sub.help = sub.typer_instance.info.help = t(key, lang)
            _localise_below(sub.typer_instance, key, lang)


def localise(lang: str) -> None:
    """Top-level help, its panel titles and every top-level command's summary in ``lang``."""
    from typer import rich_utils

    from econsec.i18n import t

    app.info.help = t("cli.help.app", lang)
    for info in app.registered_commands:
        info.help = t(f"cli.help.{_command_name(info)}", lang)
    for group in app.registered_groups:
        help_text = t(f"cli.help.{group.name}", lang)
        group.help = help_text
        if group.typer_instance is not None:
            group.typer_instance.info.help = help_text
            _localise_below(group.typer_instance, f"cli.help.{group.name}", lang)
    rich_utils.OPTIONS_PANEL_TITLE = t("cli.help.panel.options", lang)
    rich_utils.COMMANDS_PANEL_TITLE = t("cli.help.panel.commands", lang)
    rich_utils.ARGUMENTS_PANEL_TITLE = t("cli.help.panel.arguments", lang)
    rich_utils.ERRORS_PANEL_TITLE = t("cli.help.panel.error", lang)
    rich_utils.RICH_HELP = t("cli.help.try", lang)


def lang_from_argv(argv: list[str]) -> str:
    """The language asked for with ``--lang X`` / ``--lang=X`` anywhere, else the locale's."""
    from econsec.i18n import normalise_lang

    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return normalise_lang(argv[i + 1])
        if arg.startswith("--lang="):
            return normalise_lang(arg.split("=", 1)[1])
    return normalise_lang(None)


def localised_command(lang: str) -> Any:
    """The top-level click command with all of its help in ``lang``."""
    from econsec.i18n import t

    localise(lang)
    command = typer.main.get_command(app)
    for param in command.params:
        if param.name == "lang":
            param.help = t("cli.help.lang", lang)  # type: ignore[attr-defined]
    _localise_help_option(command, t("cli.help.help", lang))
    return command


def _localise_help_option(command: Any, text: str) -> None:
    """``--help`` described in the chosen language, on the command and every one below it."""
    plain = command.get_help_option

    def help_option(ctx: Any) -> Any:
        option = plain(ctx)
        if option is not None:
            option.help = text
        return option

    command.get_help_option = help_option
    for sub in getattr(command, "commands", {}).values():
        _localise_help_option(sub, text)


def main() -> None:
    localised_command(lang_from_argv(sys.argv[1:]))()


if __name__ == "__main__":
    main()
