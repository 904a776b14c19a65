"""Survey endpoints: campaigns with their progress, one campaign's suppliers and pending changes;
returned workbooks uploaded by the analyst (edit role) or by the supplier itself.

The supplier's upload needs no account: its bearer token is the secret of its upload link (the
same token as the upload page, so the same expiry and hourly allowance). An unknown token is a
plain 401; the answer names only the supplier's own company and its own workbook's errors.
"""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import HttpBearer

from econsec.survey.answers import LIMITS, Problem
from econsec.survey.campaigns import find_by_token
from econsec.survey.models import Answer, Campaign, Request
from econsec.survey.progress import progress
from econsec.survey.text import SUPPLIER_LANGUAGES, tr
from econsec.web.api.auth import require
from econsec.web.guards import form_limit
from econsec.web.language import request_language
from econsec.web.roles import EDIT, PUBLIC, READ

router = Router(tags=["survey"])


class CampaignOut(Schema):
    id: int
    name: str
    year: int
    suppliers: int
    response_rate: float
    by_tier: dict[str, dict[str, int]]


def _out(c: Campaign) -> CampaignOut:
    state = progress(c)
    return CampaignOut(id=c.pk, name=c.name, year=c.year, suppliers=state.total,
                       response_rate=state.response_rate(),
                       by_tier={str(k): v for k, v in state.by_tier.items()})  # fmt: skip


@router.get("/campaigns", response=list[CampaignOut], url_name="survey_campaigns")
@require(READ)
def campaigns(request: HttpRequest) -> list[CampaignOut]:
    return [_out(c) for c in Campaign.objects.all()[:200]]


@router.get("/campaigns/{campaign_id}", response=dict[str, Any], url_name="survey_campaign")
@require(READ)
def campaign(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    from econsec.survey.merge import preview

    found = Campaign.objects.filter(pk=campaign_id).first()
    if found is None:
        raise HttpError(404, "not found")
    plan = preview(found)
    return {
        **_out(found).dict(),
        "suppliers_detail": [
            {"org_id": r.org_id, "tier": r.tier, "language": r.language, "status": r.status}
            for r in found.requests.all()
        ],
        "changes": [{"key": c.key, "kind": c.kind, "stated_by": c.org_id, "values": c.values}
                    for c in plan.changes],
        "conflicts": [{"code": c.code, "stated_by": c.org_id, **c.params} for c in plan.conflicts],
    }  # fmt: skip


class ProblemOut(Schema):
    code: str
    sheet: str
    row: int | None
    column: str
    value: str
    message: str


class AnswerOut(Schema):
    answer_id: int
    supplier_id: str
    supplier: str
    ok: bool
    status: str
    errors: list[ProblemOut]


class MessageOut(Schema):
    detail: str


def body_limit() -> int:
    """One questionnaire (registered in apps.py for both upload operations)."""
    return form_limit(LIMITS.max_bytes)


def _answer(req: Request, answer: Answer, lang: str) -> Status[Any]:
    problems = [Problem.from_dict(p) for p in answer.errors]
    errors = [ProblemOut(code=p.code, sheet=p.sheet, row=p.row, column=p.column, value=p.value,
                         message=p.message(lang)) for p in problems]  # fmt: skip
    req.refresh_from_db(fields=["status"])
    out = AnswerOut(answer_id=answer.pk, supplier_id=req.org_id, supplier=req.org_name,
                    ok=answer.ok, status=req.status, errors=errors)  # fmt: skip
    return Status(200 if answer.ok else 400, out)


def _size_ok(workbook: UploadedFile) -> bool:
    return workbook.size is not None and workbook.size <= LIMITS.max_bytes


_ANSWERED = {200: AnswerOut, 400: AnswerOut, 404: MessageOut, 413: MessageOut}


@router.post("/campaigns/{campaign_id}/suppliers/{org_id}/answer", response=_ANSWERED,
             url_name="survey_answer_upload")  # fmt: skip
@require(EDIT)
def analyst_upload(
    request: HttpRequest,
    campaign_id: int,
    org_id: str,
    workbook: UploadedFile = File(...),  # type: ignore[type-arg]  # noqa: B008
) -> Status[Any]:
    """A supplier's returned workbook, uploaded by the analyst: 200 valid, 400 located errors."""
    from econsec.survey.returns import receive_upload

    lang = request_language(request)
    # A foreign-key lookup passes an id past 64 bits to SQLite as is, which raises.
    in_range = 0 < campaign_id < 2**63
    req = (
        Request.objects.filter(campaign_id=campaign_id, org_id=org_id).first() if in_range else None
    )
    if req is None:
        return Status(404, MessageOut(detail=tr("survey.api.no_supplier", lang)))
    if not _size_ok(workbook):
        return Status(413, MessageOut(detail=tr("survey.supplier.too_large", lang)))
    return _answer(req, receive_upload(req, workbook.chunks(), name=workbook.name or "",
                                       via="api"), lang)  # fmt: skip


class SupplierAuth(HttpBearer):
    """The supplier's upload-link token as a bearer token (expired ones too: 410 says so)."""

    def authenticate(self, request: HttpRequest, token: str) -> Request | None:
        return find_by_token(token)


@router.post("/supplier/answer", auth=SupplierAuth(),
             response={200: AnswerOut, 400: AnswerOut | MessageOut, 410: MessageOut,
                       413: MessageOut, 429: MessageOut},
             url_name="survey_supplier_upload")  # fmt: skip
@require(PUBLIC)
def supplier_upload(
    request: HttpRequest,
    workbook: UploadedFile | None = File(None),  # type: ignore[type-arg]  # noqa: B008
    lang: str = "",
) -> Status[Any]:
    """The supplier's own returned workbook (bearer: its upload token); errors in ``lang``
    (ja, en, zh; default the supplier's language): 200 valid, 400 located errors."""
    from econsec.survey.returns import count_upload, receive_upload

    req: Request = request.auth  # type: ignore[attr-defined]
    lang = lang if lang in SUPPLIER_LANGUAGES else req.language
    if req.expires_at < timezone.now():
        return Status(410, MessageOut(detail=tr("survey.supplier.expired", lang)))
    if not count_upload(req):
        return Status(429, MessageOut(detail=tr("survey.supplier.too_many", lang)))
    if workbook is None:  # counted all the same: every attempt uses the allowance
        return Status(400, MessageOut(detail=tr("survey.supplier.no_file", lang)))
    if not _size_ok(workbook):
        return Status(413, MessageOut(detail=tr("survey.supplier.too_large", lang)))
    return _answer(req, receive_upload(req, workbook.chunks(), name=workbook.name or "",
                                       via="api"), lang)  # fmt: skip
