"""The project's URL map: the REST API and the workbench pages.

Capability apps with pages of their own add one ``include`` line here.
"""

from __future__ import annotations

from django.urls import include, path

from .api.root import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("econsec.web.page_urls")),
]
