"""The optional tile server behind the supplier map (``ECONSEC_MAP_TILES``).

By default the map draws the Natural Earth outline shipped with econsec and the browser asks
nothing of any other host. An organisation that allows a tile server sets a URL template with
``{z}``, ``{x}`` and ``{y}`` (Web Mercator XYZ tiles, e.g. its own server); the map page then
draws those tiles under the outline, and that page alone allows images from the template's
origin in its Content-Security-Policy. The template is checked strictly, because its origin
is written into a security header: http(s) only, a plain host, no credentials, no characters
that could end a CSP directive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_PLACEHOLDERS = re.compile(r"\{([a-z]+)\}")
_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
# Characters a URL template never needs, several of which would break out of a CSP source.
_FORBIDDEN = re.compile(r"[\s;,'\"<>\\`\x00-\x1f\x7f]")
MAX_LENGTH = 500


class TileSettingError(ValueError):
    """Why a template is not used: message ``key`` (visuals.tiles.*) with its parameters."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class TileSource:
    template: str
    origin: str
    """scheme://host[:port], the one source added to the map page's img-src."""
    attribution: str = ""


def tile_source(template: str | None, attribution: str = "") -> TileSource | None:
    """The checked tile source, None when unset; raises TileSettingError when it is unusable."""
    text = (template or "").strip()
    if not text:
        return None
    shown = text[:80]
    if len(text) > MAX_LENGTH or _FORBIDDEN.search(text) or not text.isascii():
        raise TileSettingError("visuals.tiles.characters", value=shown)
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http"):
        raise TileSettingError("visuals.tiles.scheme", value=shown)
    if "@" in parts.netloc or not _HOST.fullmatch(parts.netloc):
        raise TileSettingError("visuals.tiles.host", value=shown)
    found = set(_PLACEHOLDERS.findall(text))
    if not {"z", "x", "y"} <= found or found - {"z", "x", "y"}:
        raise TileSettingError("visuals.tiles.placeholders", value=shown)
    return TileSource(
        template=text,
        origin=f"{parts.scheme}://{parts.netloc}".lower(),
        attribution=attribution.strip()[:200],
    )


def csp_with_images_from(csp: str, origin: str) -> str:
    """``csp`` with ``origin`` added to img-src (created from default-src when absent)."""
    directives = [d.strip() for d in csp.split(";") if d.strip()]
    names = [d.split()[0].lower() for d in directives]
    if "img-src" in names:
        i = names.index("img-src")
        directives[i] = f"{directives[i]} {origin}"
    else:
        base = next((d.split()[1:] for d in directives if d.lower().startswith("default-src")), [])
        directives.append(" ".join(["img-src", *base, origin]))
    return "; ".join(directives)
