"""Disclosure drafts: the securities report's 「事業等のリスク」 paragraph on economic security
and an integrated-report section, in Japanese and English, generated from the register.

The text is deterministic: the same register, indicators, stress results and actions give the
same words. Every number in it has an entry in ``sources`` (what it is and where it came
from). A draft is stored as a new version; an edited text is stored as a new version too, and
one version is approved (by an administrator) — all in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from econsec.governance import actions, risks
from econsec.governance.chain import append
from econsec.governance.errors import GovernanceError
from econsec.governance.models import Disclosure, KriValue, Risk
from econsec.i18n import t

TOP_RISKS = 5


@dataclass(frozen=True)
class Draft:
    text_ja: str
    text_en: str
    sources: list[dict[str, Any]]


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def draft(kind: str) -> Draft:
    """Compose the text of a draft from what is stored now."""
    if kind not in Disclosure.KINDS:
        raise GovernanceError("governance.disclosure.bad_kind", value=kind,
                              allowed=", ".join(Disclosure.KINDS))  # fmt: skip
    rated = sorted(
        risks.rate_all(Risk.objects.exclude(treatment="avoid")),
        key=lambda r: (-(r.residual or 0), -(r.inherent or 0), r.risk.code),
    )[:TOP_RISKS]
    sources: list[dict[str, Any]] = []
    parts: dict[str, list[str]] = {"ja": [], "en": []}
    for lang in ("ja", "en"):
        parts[lang].append(t(f"governance.disclosure.{kind}.intro", lang, count=len(rated)))
    for r in rated:
        risk = r.risk
        measures = list(risk.actions.order_by("due", "id"))
        done = sum(1 for a in measures if a.status == "done")
        source = risk.link_label or r.impact.source or "entered"
        sources.append({"risk": risk.code, "figure": "impact", "value": r.impact.money,
                        "source": r.impact.source or "entered",
                        "data_version": r.impact.data_version})  # fmt: skip
        for lang in ("ja", "en"):
            title = risk.title_ja if lang == "ja" else risk.title_en
            titles = [a.title_ja if lang == "ja" else a.title_en for a in measures]
            parts[lang].append(
                t(
                    "governance.disclosure.risk",
                    lang,
                    code=risk.code,
                    title=title,
                    impact=_money(r.impact.money),
                    source=source,
                    residual=r.residual or "-",
                    owner=risk.owner or "-",
                )
                + " "
                + (
                    t(
                        "governance.disclosure.measures",
                        lang,
                        done=done,
                        total=len(measures),
                        list="、".join(titles) if lang == "ja" else "; ".join(titles),
                    )
                    if measures
                    else t("governance.disclosure.no_measures", lang)
                )
            )
    red = [v for v in _latest_values() if v.status == "red"]
    overdue = actions.overdue().count()
    sources.append({"figure": "kri_red", "value": len(red), "source": "governance.KriValue",
                    "keys": [v.key for v in red]})  # fmt: skip
    sources.append({"figure": "actions_overdue", "value": overdue, "source": "governance.Action"})
    for lang in ("ja", "en"):
        parts[lang].append(t("governance.disclosure.monitoring", lang, red=len(red),
                             overdue=overdue))  # fmt: skip
        parts[lang].append(t(f"governance.disclosure.{kind}.closing", lang))
    return Draft("\n\n".join(parts["ja"]), "\n\n".join(parts["en"]), sources)


def _latest_values() -> list[KriValue]:
    seen: dict[str, KriValue] = {}
    for v in KriValue.objects.all():  # newest first per key
        seen.setdefault(v.key, v)
    return list(seen.values())


def save(kind: str, *, actor: str, text_ja: str | None = None, text_en: str | None = None,
         sources: list[dict[str, Any]] | None = None) -> Disclosure:  # fmt: skip
    """Store a new version: the generated draft, or an edited text of it."""
    if kind not in Disclosure.KINDS:
        raise GovernanceError("governance.disclosure.bad_kind", value=kind,
                              allowed=", ".join(Disclosure.KINDS))  # fmt: skip
    if text_ja is not None and text_en is not None and not (text_ja.strip() and text_en.strip()):
        raise GovernanceError("governance.disclosure.empty")
    if text_ja is not None and text_en is not None:
        from econsec.governance.fields import check_values

        check_values(Disclosure, {"text_ja": text_ja, "text_en": text_en})
    generated = draft(kind) if text_ja is None or text_en is None else None
    with transaction.atomic():
        last = Disclosure.objects.filter(kind=kind).aggregate(m=Max("version"))["m"] or 0
        record = Disclosure.objects.create(
            kind=kind, version=last + 1,
            text_ja=text_ja if text_ja is not None else generated.text_ja if generated else "",
            text_en=text_en if text_en is not None else generated.text_en if generated else "",
            sources=sources if sources is not None else generated.sources if generated else [],
            created_by=actor,
        )  # fmt: skip
        append("disclosure.saved", f"disclosure:{kind}:{record.version}", actor=actor,
               detail={"edited": generated is None})  # fmt: skip
    return record


def request_approval(record: Disclosure, *, actor: str) -> Disclosure:
    """Ask the administrators (they alone approve) to approve this version."""
    from econsec.governance.recipients import administrators
    from econsec.governance.triggers import request_signoff

    if record.status == "approved":
        raise GovernanceError("governance.disclosure.already_approved", version=record.version)
    ref = f"disclosure:{record.kind}:{record.version}"
    recipients = [u for u in administrators() if u != actor] or administrators()
    what = {lang: t("governance.disclosure.what", lang, version=record.version,
                    kind=t(f"governance.disclosure.kind.{record.kind}", lang))
            for lang in ("ja", "en")}  # fmt: skip
    with transaction.atomic():
        record.status = "requested"
        record.save(update_fields=["status"])
        append("disclosure.approval_requested", ref, actor=actor)
        request_signoff(what, ref=ref, by=actor, recipients=recipients,
                        dedupe=f"signoff_requested:{ref}")  # fmt: skip
    return record


def approve(record: Disclosure, *, approver: str, is_administrator: bool) -> Disclosure:
    if not is_administrator:
        raise GovernanceError("governance.disclosure.approve_forbidden", who=approver)
    with transaction.atomic():
        record.status, record.approved_by, record.approved_at = "approved", approver, timezone.now()
        record.save()
        append("disclosure.approved", f"disclosure:{record.kind}:{record.version}", actor=approver)
    return record
