"""``econsec notify webhook | prefs | list | requests | decide | deliver``.

The command line is the operator's: it acts as the user it is told (``--user``), with that
user's roles where they matter (deciding a request), and writes the same audit records as the
web and the API. A new webhook's secret is printed once, when it is added.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from econsec.i18n import normalise_lang, t

console = Console()
err_console = Console(stderr=True)
LangOption = Annotated[str | None, typer.Option("--lang", help="ja or en")]
EXIT_INPUT_ERRORS = 1

notify_app = typer.Typer(help="Notifications / お知らせ", no_args_is_help=True)
webhook_app = typer.Typer(help="Webhook receivers / Webhook の受信先", no_args_is_help=True)
notify_app.add_typer(webhook_app, name="webhook")


def _open(lang: str | None) -> str:
    from econsec.store import open_store

    chosen = normalise_lang(lang)
    open_store()
    return chosen


def _fail(message: str) -> typer.Exit:
    err_console.print(message, markup=False, soft_wrap=True)
    return typer.Exit(EXIT_INPUT_ERRORS)


def _table(lang: str, *columns: str) -> Table:
    table = Table()
    for column in columns:
        table.add_column(t(f"governance.cli.notify.col.{column}", lang))
    return table


def _hook(hook_id: int, lang: str) -> object:
    from econsec.governance.models import Webhook

    found = Webhook.objects.filter(pk=hook_id).first()
    if found is None:
        raise _fail(t("governance.webhook.not_found", lang, id=hook_id))
    return found


# --- webhook receivers ---------------------------------------------------------------------


@webhook_app.command("list")
def webhook_list(lang: LangOption = None) -> None:
    """The receivers (never their secrets)."""
    lang = _open(lang)
    from econsec.governance.models import Webhook

    table = _table(lang, "id", "url", "kinds", "active")
    for hook in Webhook.objects.order_by("pk"):
        kinds = ", ".join(hook.kinds) or t("governance.cli.notify.every_kind", lang)
        active = t("governance.cli.notify.yes" if hook.active else "governance.cli.notify.no", lang)
        table.add_row(str(hook.pk), hook.url, kinds, active)
    console.print(table)


@webhook_app.command("add")
def webhook_add(
    url: Annotated[str, typer.Argument(help="http(s) URL of the receiver")],
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="A kind to send (repeat)")
    ] = None,
    user: Annotated[str, typer.Option("--user", help="Who adds it (audit trail)")] = "cli",
    lang: LangOption = None,
) -> None:
    """Add a receiver; its signing secret is printed now and never again."""
    lang = _open(lang)
    from econsec.governance import channels
    from econsec.governance.errors import GovernanceError

    try:
        hook, secret = channels.add_webhook(url, kind or [], actor=user)
    except GovernanceError as exc:
        raise _fail(exc.message(lang)) from exc
    console.print(t("governance.cli.notify.webhook_added", lang, id=hook.pk, url=hook.url,
                    secret=secret), markup=False, soft_wrap=True)  # fmt: skip


@webhook_app.command("change")
def webhook_change(
    hook_id: Annotated[int, typer.Argument(help="Webhook id")],
    url: Annotated[str | None, typer.Option("--url")] = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="The kinds to send (repeat)")
    ] = None,
    every_kind: Annotated[bool, typer.Option("--every-kind", help="Send every kind")] = False,
    active: Annotated[bool | None, typer.Option("--active/--inactive")] = None,
    user: Annotated[str, typer.Option("--user", help="Who changes it (audit trail)")] = "cli",
    lang: LangOption = None,
) -> None:
    """Change a receiver's URL, kinds or whether it is active (the secret stays)."""
    lang = _open(lang)
    from econsec.governance import channels
    from econsec.governance.errors import GovernanceError
    from econsec.governance.models import Webhook

    hook = _hook(hook_id, lang)
    assert isinstance(hook, Webhook)
    kinds = [] if every_kind else kind
    try:
        channels.change_webhook(hook, actor=user, url=url, kinds=kinds, active=active)
    except GovernanceError as exc:
        raise _fail(exc.message(lang)) from exc
    console.print(t("governance.cli.notify.webhook_changed", lang, id=hook.pk), markup=False)


@webhook_app.command("remove")
def webhook_remove(
    hook_id: Annotated[int, typer.Argument(help="Webhook id")],
    user: Annotated[str, typer.Option("--user", help="Who removes it (audit trail)")] = "cli",
    lang: LangOption = None,
) -> None:
    """Remove a receiver; what it still owed is marked failed with the reason."""
    lang = _open(lang)
    from econsec.governance import channels
    from econsec.governance.models import Webhook

    hook = _hook(hook_id, lang)
    assert isinstance(hook, Webhook)
    failed = channels.remove_webhook(hook, actor=user)
    console.print(t("governance.cli.notify.webhook_removed", lang, id=hook_id, failed=failed),
                  markup=False)  # fmt: skip


@webhook_app.command("test")
def webhook_test(
    hook_id: Annotated[int, typer.Argument(help="Webhook id")],
    user: Annotated[str, typer.Option("--user", help="Who sends the test")] = "cli",
    lang: LangOption = None,
) -> None:
    """Send a signed test message now; exit 1 when the receiver did not take it."""
    lang = _open(lang)
    from econsec.governance import channels
    from econsec.governance.models import Webhook

    hook = _hook(hook_id, lang)
    assert isinstance(hook, Webhook)
    sent = channels.send_test(hook, actor=user)
    status = t(f"governance.notify.status.{sent.status}", lang)
    console.print(t("governance.cli.notify.webhook_tested", lang, id=sent.pk, status=status,
                    error=sent.last_error or "-"), markup=False, soft_wrap=True)  # fmt: skip
    if sent.status != "sent":
        raise typer.Exit(EXIT_INPUT_ERRORS)


# --- preferences and inbox -----------------------------------------------------------------


@notify_app.command("prefs")
def prefs(
    user: Annotated[str, typer.Argument(help="User name")],
    email: Annotated[str | None, typer.Option(help="E-mail address")] = None,
    by_email: Annotated[bool | None, typer.Option("--by-email/--inbox-only")] = None,
    digest: Annotated[bool | None, typer.Option("--digest/--each")] = None,
    language: Annotated[str | None, typer.Option("--language", help="ja or en")] = None,
    lang: LangOption = None,
) -> None:
    """Show a user's notification preferences, or change those given."""
    lang = _open(lang)
    from econsec.governance import channels
    from econsec.governance.errors import GovernanceError

    pref = channels.preferences(user)
    if any(v is not None for v in (email, by_email, digest, language)):
        try:
            pref = channels.save_preferences(
                user,
                email=pref.email if email is None else email,
                by_email=pref.by_email if by_email is None else by_email,
                digest=pref.digest if digest is None else digest,
                language=pref.language if language is None else language,
            )
        except GovernanceError as exc:
            raise _fail(exc.message(lang)) from exc
        console.print(t("governance.cli.prefs_saved", lang, user=user), markup=False)
    yes, no = t("governance.cli.notify.yes", lang), t("governance.cli.notify.no", lang)
    console.print(t("governance.cli.notify.prefs", lang, user=user, email=pref.email or "-",
                    by_email=yes if pref.by_email else no, digest=yes if pref.digest else no,
                    language=pref.language), markup=False, soft_wrap=True)  # fmt: skip


@notify_app.command("list")
def list_cmd(
    user: Annotated[str, typer.Argument(help="User name")],
    unread: Annotated[bool, typer.Option("--unread", help="Only those not yet read")] = False,
    read: Annotated[int | None, typer.Option("--read", help="Mark this one read")] = None,
    lang: LangOption = None,
) -> None:
    """A user's in-app notifications, newest first (or mark one read)."""
    lang = _open(lang)
    from econsec.governance import notify
    from econsec.governance.models import Notification

    if read is not None:
        if not Notification.objects.filter(pk=read, recipient=user, channel="inbox").exists():
            raise _fail(t("governance.cli.notify.not_found", lang, id=read, user=user))
        notify.mark_read(user, read)
        console.print(t("governance.cli.notify.marked_read", lang, id=read), markup=False)
        return
    rows = Notification.objects.filter(recipient=user, channel="inbox")
    if unread:
        rows = rows.filter(read_at__isnull=True)
    found = list(rows[:200])
    if not found:
        console.print(t("governance.cli.notify.none", lang), markup=False)
        return
    table = _table(lang, "id", "at", "kind", "subject", "read")
    for n in found:
        table.add_row(str(n.pk), n.created_at.strftime("%Y-%m-%d %H:%M"),
                      t(f"governance.notify.kind.{n.kind}", lang), notify.text(n, lang)[0],
                      n.read_at.strftime("%Y-%m-%d %H:%M") if n.read_at else "-")  # fmt: skip
    console.print(table)


# --- requests waiting for a decision -------------------------------------------------------


@notify_app.command("requests")
def requests_cmd(lang: LangOption = None) -> None:
    """Risk acceptances and disclosure approvals waiting for a decision, oldest first."""
    lang = _open(lang)
    from econsec.governance import requests

    found = requests.pending()
    if not found:
        console.print(t("governance.cli.notify.no_requests", lang), markup=False)
        return
    table = _table(lang, "ref", "what", "by", "at", "reason")
    for r in found:
        at = r.requested_at.strftime("%Y-%m-%d %H:%M") if r.requested_at else "-"
        table.add_row(r.ref, r.what[lang], r.requested_by or "-", at, r.reason or "-")
    console.print(table)


@notify_app.command("decide")
def decide(
    ref: Annotated[str, typer.Argument(help="The request, as `notify requests` lists it")],
    decision: Annotated[str, typer.Argument(help="approve or refuse")],
    user: Annotated[str, typer.Option("--user", help="The deciding user (an administrator)")],
    reason: Annotated[str, typer.Option("--reason", help="Needed to refuse")] = "",
    lang: LangOption = None,
) -> None:
    """Approve or refuse a request; refusing needs a reason and restores the earlier state."""
    lang = _open(lang)
    from django.contrib.auth.models import User

    from econsec.governance import requests
    from econsec.governance.errors import GovernanceError

    account = User.objects.filter(username=user, is_active=True).first()
    is_admin = account is not None and (
        account.is_superuser or account.groups.filter(name="administrator").exists()
    )
    try:
        requests.decide(ref, decision, actor=user, is_administrator=is_admin, reason=reason)
    except GovernanceError as exc:
        raise _fail(exc.message(lang)) from exc
    console.print(t("governance.cli.notify.decided", lang, ref=ref, who=user,
                    decision=t(f"governance.request.decision.{decision}", lang)),
                  markup=False, soft_wrap=True)  # fmt: skip


@notify_app.command("deliver")
def deliver(lang: LangOption = None) -> None:
    """Send the e-mail and webhook messages that are due now (failures are retried later)."""
    lang = _open(lang)
    from econsec.governance import notify

    done = notify.deliver()
    console.print(t("governance.cli.notify.delivered", lang, sent=done.sent,
                    retried=done.retried, failed=done.failed), markup=False)  # fmt: skip
