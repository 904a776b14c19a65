"""The REST API (django-ninja): OpenAPI at /api/openapi.json, interactive docs at /api/docs.

Every operation needs authentication (bearer token or session) and a role, as in the UI. The
shell mounts its own job operations; each capability's router comes from the registry.
"""

from __future__ import annotations

from ninja import NinjaAPI

from econsec.registry import registry, resolve

from ..roles import READ, role_required
from . import jobs
from .auth import AUTH

api = NinjaAPI(
    title="econsec API",
    version="1",
    description="Economic-security workbench / 経済安全保障経営ワークベンチ",
    auth=AUTH,
    urls_namespace="api",
    docs_decorator=role_required(READ),
)
api.add_router("", jobs.router)
for prefix, router in registry.api_routers:
    api.add_router(prefix, resolve(router))
