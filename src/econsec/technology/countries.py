"""Countries of concern: the company's own list, kept with its reasons and sources.

econsec ships no such list (which countries concern a company is its policy, not ours). The
exposure engine reads the register's rows together with the ``countries_of_concern`` group of
the user's reference file; a country that comes only from that file is shown with it as the
source and is changed there, not here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from econsec import trail
from econsec.characters import unwanted
from econsec.technology.errors import TechnologyError
from econsec.technology.models import ConcernCountry

MAX_REASON = 2000


@dataclass(frozen=True)
class Listed:
    country: str
    reason_ja: str
    reason_en: str
    source: str
    added_by: str
    from_group: bool  # only in the reference file's group, not in the register

    def reason(self, lang: str) -> str:
        return (
            (self.reason_ja if lang == "ja" else self.reason_en) or self.reason_ja or self.reason_en
        )


def _code(text: str) -> str:
    from econsec.reference.countries import normalise_country

    code = normalise_country(text or "")
    if code is None:
        raise TechnologyError("technology.country.unknown", value=(text or "")[:80])
    return code


def group_countries() -> set[str]:
    from econsec.reference.groups import CONCERN_GROUP, group_members

    try:
        return set(group_members(CONCERN_GROUP))
    except Exception:  # an unreadable user group file must not hide the register's own list
        return set()


def listed() -> list[Listed]:
    """The register's countries and those only in the reference group, by country code."""
    rows = {
        c.country: Listed(c.country, c.reason_ja, c.reason_en, c.source, c.added_by, False)
        for c in ConcernCountry.objects.all()
    }
    for code in group_countries() - set(rows):
        rows[code] = Listed(code, "", "", "countries_of_concern", "", True)
    return [rows[k] for k in sorted(rows)]


def add(country: str, *, reason_ja: str = "", reason_en: str = "", source: str = "",
        actor: str = "") -> ConcernCountry:  # fmt: skip
    """Add a country (or change the reason of one already listed). A reason is required in at
    least one language: the list is a judgement and must say why."""
    code = _code(country)
    reason_ja, reason_en, source = reason_ja.strip(), reason_en.strip(), source.strip()
    if not (reason_ja or reason_en):
        raise TechnologyError("technology.country.reason_required", country=code)
    for field, value, limit in (("reason_ja", reason_ja, MAX_REASON),
                                ("reason_en", reason_en, MAX_REASON), ("source", source, 500)):  # fmt: skip
        if len(value) > limit:
            raise TechnologyError("technology.country.too_long", field=field, limit=limit)
        found = unwanted(value)
        if found is not None:
            raise TechnologyError("technology.api.bad_char", field=field, position=found[0],
                                  char=found[1])  # fmt: skip
    row, created = ConcernCountry.objects.update_or_create(
        country=code,
        defaults={"reason_ja": reason_ja, "reason_en": reason_en, "source": source,
                  "added_by": actor, "added_at": timezone.now()},
    )  # fmt: skip
    trail.record("technology.concern." + ("added" if created else "changed"), f"country:{code}",
                 actor=actor, reason=reason_ja or reason_en, source=source)  # fmt: skip
    return row


def remove(country: str, *, actor: str = "") -> str:
    code = _code(country)
    deleted, _ = ConcernCountry.objects.filter(country=code).delete()
    if not deleted:
        key = (
            "technology.country.in_group"
            if code in group_countries()
            else "technology.country.not_listed"
        )
        raise TechnologyError(key, country=code)
    trail.record("technology.concern.removed", f"country:{code}", actor=actor)
    return code
