"""The optional tile server: what the setting accepts, and the CSP of the map page in both
modes (default: the shipped outline, no other host allowed)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from econsec.i18n import t
from econsec.visuals.tiles import TileSettingError, csp_with_images_from, tile_source
from tests.exposure.web.test_exposure import analysed_chain  # noqa: F401

GOOD = "https://tiles.example.org:8443/osm/{z}/{x}/{y}.png"


def test_accepts_a_plain_template_and_adds_only_its_origin() -> None:
    assert tile_source("") is None and tile_source(None) is None and tile_source("  ") is None
    found = tile_source(GOOD, " © OpenStreetMap contributors ")
    assert found is not None
    assert found.origin == "https://tiles.example.org:8443"
    assert found.attribution == "© OpenStreetMap contributors"
    csp = "default-src 'self'; img-src 'self' data:; object-src 'none'"
    assert csp_with_images_from(csp, found.origin) == (
        "default-src 'self'; img-src 'self' data: https://tiles.example.org:8443; object-src 'none'"
    )
    assert "img-src 'self' https://x.example" in csp_with_images_from(
        "default-src 'self'", "https://x.example"
    )


@pytest.mark.parametrize(
    "template,key",
    [
        ("https://evil.example/{z}/{x}/{y}.png; script-src *", "characters"),
        ("https://evil.example/{z}/{x}/{y}.png 'unsafe-inline'", "characters"),
        ("https://evil.example/{z}/{x}/{y}.png\n", "characters"),  # stripped, so accepted…
        ("https://ｅｖｉｌ.example/{z}/{x}/{y}", "characters"),
        ("javascript:alert(1)//{z}{x}{y}", "scheme"),
        ("data:image/png;base64,{z}{x}{y}", "characters"),
        ("ftp://tiles.example/{z}/{x}/{y}", "scheme"),
        ("https://user:pw@tiles.example/{z}/{x}/{y}", "host"),
        ("https:///{z}/{x}/{y}", "host"),
        ("https://tiles.example/{z}/{x}.png", "placeholders"),
        ("https://{s}.tiles.example/{z}/{x}/{y}", "host"),
        ("https://tiles.example/{z}/{x}/{y}/{token}", "placeholders"),
        ("https://tiles.example/" + "a" * 600 + "/{z}/{x}/{y}", "characters"),
    ],
)
def test_refuses_templates_that_could_widen_the_policy(template: str, key: str) -> None:
    if template.endswith("\n"):  # surrounding white space is only trimmed
        assert tile_source(template) is not None
        return
    with pytest.raises(TileSettingError) as caught:
        tile_source(template)
    assert caught.value.key == f"visuals.tiles.{key}"
    ja, en = (t(caught.value.key, lang, **caught.value.params) for lang in ("ja", "en"))
    assert "ECONSEC_MAP_TILES" in ja and "ECONSEC_MAP_TILES" in en and ja != en


@pytest.mark.db
def test_map_page_csp_in_both_modes(client_for: Any, analysed_chain: Any, settings: Any) -> None:  # noqa: F811
    client = client_for("viewer")
    default = client.get(reverse("web:visuals_map"))
    assert default["Content-Security-Policy"] == settings.ECONSEC_CSP
    assert "img-src 'self' data:;" in default["Content-Security-Policy"]
    assert b"data-tiles" not in default.content

    settings.ECONSEC_MAP_TILES = GOOD
    settings.ECONSEC_MAP_TILES_ATTRIBUTION = "<b>© OSM</b>"
    tiled = client.get(reverse("web:visuals_map"))
    csp = tiled["Content-Security-Policy"]
    assert "img-src 'self' data: https://tiles.example.org:8443;" in csp
    assert csp.replace(" https://tiles.example.org:8443", "") == settings.ECONSEC_CSP
    page = tiled.content.decode()
    assert f'data-tiles="{GOOD}"' in page and "&lt;b&gt;© OSM&lt;/b&gt;" in page
    # Only the map page draws tiles: the others keep the site-wide policy.
    for name in ("web:visuals_flows", "web:visuals_networks", "api:visuals_map"):
        assert client.get(reverse(name))["Content-Security-Policy"] == settings.ECONSEC_CSP

    settings.ECONSEC_MAP_TILES = "https://evil.example/{z}/{x}/{y}; script-src *"
    refused = client.get(reverse("web:visuals_map"), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    assert refused["Content-Security-Policy"] == settings.ECONSEC_CSP
    assert 'data-testid="map-tiles-problem"' in refused.content.decode()
    assert b"data-tiles" not in refused.content
