"""``econsec tech countries list|add|remove``: the company's countries of concern."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from econsec.i18n import t
from econsec.technology.cli import ActorOption, LangOption, _fail, _open, console

countries_app = typer.Typer(
    help="Countries of concern (the company's own list) / 懸念国(自社の判断)", no_args_is_help=True
)


@countries_app.command("list")
def list_cmd(lang: LangOption = None) -> None:
    """The countries the exposure engine treats as of concern, with reasons and sources."""
    lang = _open(lang)
    from econsec.reference.countries import country_name
    from econsec.technology.countries import listed

    rows = listed()
    if not rows:
        console.print(t("technology.country.none", lang))
        return
    table = Table(title=t("technology.country.title", lang), show_lines=True)
    for key in ("country", "reason", "source", "added_by"):
        table.add_column(t(f"technology.country.col.{key}", lang))
    for row in rows:
        source = t("technology.country.from_group", lang) if row.from_group else row.source
        table.add_row(f"{row.country} {country_name(row.country, lang)}", row.reason(lang),
                      source or "—", row.added_by or "—")  # fmt: skip
    console.print(table)


@countries_app.command("add")
def add_cmd(
    country: Annotated[str, typer.Argument(help="ISO code or name, e.g. CN or 中国")],
    reason_ja: Annotated[str, typer.Option("--reason-ja", help="Why (Japanese)")] = "",
    reason_en: Annotated[str, typer.Option("--reason-en", help="Why (English)")] = "",
    source: Annotated[str, typer.Option("--source", help="What the judgement relies on")] = "",
    actor: ActorOption = "",
    lang: LangOption = None,
) -> None:
    """Add a country of concern (or change its reason); a reason is required."""
    lang = _open(lang)
    from econsec.technology.countries import add
    from econsec.technology.errors import TechnologyError

    try:
        row = add(country, reason_ja=reason_ja, reason_en=reason_en, source=source, actor=actor)
    except TechnologyError as exc:
        _fail(exc, lang)
        return
    console.print(t("technology.country.added", lang, country=row.country))


@countries_app.command("remove")
def remove_cmd(country: str, actor: ActorOption = "", lang: LangOption = None) -> None:
    """Take a country off the company's list."""
    lang = _open(lang)
    from econsec.technology.countries import remove
    from econsec.technology.errors import TechnologyError

    try:
        code = remove(country, actor=actor)
    except TechnologyError as exc:
        _fail(exc, lang)
        return
    console.print(t("technology.country.removed", lang, country=code))
