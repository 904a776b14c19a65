"""The REST API (django-ninja): OpenAPI at /api/openapi.json, interactive docs at /api/docs.

Every operation needs authentication (bearer token or session) and a role, as in the UI.
"""

from __future__ import annotations

from ninja import NinjaAPI

from ..roles import READ, role_required
from . import jobs, valuechain
from .assessment import router as assessment_router
from .auth import AUTH
from .exposure import router as exposure_router
from .screening import router as screening_router
from .stress import router as stress_router

api = NinjaAPI(
    title="econsec API",
    version="1",
    description="Economic-security workbench / 経済安全保障経営ワークベンチ",
    auth=AUTH,
    urls_namespace="api",
    docs_decorator=role_required(READ),
)
api.add_router("/valuechain", valuechain.router)
api.add_router("", jobs.router)
api.add_router("/exposure", exposure_router)
api.add_router("/screening", screening_router)
api.add_router("/assessment", assessment_router)
api.add_router("/stress", stress_router)
