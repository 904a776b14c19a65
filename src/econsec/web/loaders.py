"""Templates and static files from each capability's ``web/`` folder.

A capability keeps its pages in ``<capability>/web/templates`` and ``<capability>/web/static``
(docs/decisions/0090-capability-slices.md); these look there in every installed app, as Django's
app-directories loader and finder look in ``<app>/templates`` and ``<app>/static``.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.contrib.staticfiles.finders import AppDirectoriesFinder
from django.template.loaders.filesystem import Loader as FilesystemLoader
from django.template.utils import get_app_template_dirs

_WEB_TEMPLATES = os.path.join("web", "templates")


class CapabilityTemplateLoader(FilesystemLoader):
    def get_dirs(self) -> list[str | Path]:
        return list(get_app_template_dirs(_WEB_TEMPLATES))


class CapabilityStaticFinder(AppDirectoriesFinder):
    source_dir = os.path.join("web", "static")
