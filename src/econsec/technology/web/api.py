"""Technology endpoints: counts for every role; the register only with need-to-know (403)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from econsec.technology import service
from econsec.technology.models import Technology
from econsec.web.api.auth import require
from econsec.web.roles import READ

router = Router(tags=["technology"])


@router.get("/summary", url_name="technology_summary")
@require(READ)
def summary(request: HttpRequest) -> dict[str, Any]:
    from econsec.technology.web.views import counts

    figures = counts()
    figures.pop("matrix")
    return figures


@router.get("/technologies", url_name="technology_list")
@require(READ)
def technologies(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "auth", None) or request.user
    if not service.may_see(user):
        raise HttpError(403, "forbidden")
    matrix = service.compute()
    out = []
    for x in Technology.objects.order_by("tech_id"):
        out.append({
            "tech_id": x.tech_id, "name_ja": x.name_ja, "name_en": x.name_en, "kind": x.kind,
            "tier": service.rate(x).tier,
            "exposure": [{"route": r, "score": round(s, 4), "level": lvl}
                         for r, s, lvl in matrix.row(x.tech_id)],
        })  # fmt: skip
    return out
