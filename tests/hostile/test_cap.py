"""Hostile CAP alert files (`econsec events fetch --cap --file`): a refused document exits 1
with a located message in ja and en; a refused alert is named by position and field while the
others still come in; nothing of a refused alert is stored; all within the budget."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from econsec.cli import app
from econsec.monitoring.feeds import MAX_FEED_BYTES
from econsec.monitoring.models import Event
from tests.hostile import files
from tests.hostile.budget import measured

runner = CliRunner()
NS = "urn:oasis:names:tc:emergency:cap:1.2"


def alert(headline: str = "Quake", area: str = "", sent: str = "2026-02-06T21:00:00Z") -> str:
    return (
        f'<alert xmlns="{NS}"><identifier>id-{abs(hash(headline + area)) % 10**8}</identifier>'
        f"<sender>s@example.org</sender><sent>{sent}</sent><status>Actual</status>"
        "<msgType>Alert</msgType><scope>Public</scope><info><category>Geo</category>"
        "<event>Earthquake</event><urgency>Past</urgency><severity>Severe</severity>"
        f"<certainty>Likely</certainty><headline>{headline}</headline>"
        f"<area><areaDesc>Somewhere</areaDesc>{area}</area></info></alert>"
    )


def doc(*alerts: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><feed>{"".join(alerts)}</feed>'


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY a{i} "{"&a;" * 10 if i == 0 else f"&a{i - 1};" * 10}">' for i in range(9))
    + f']><alert xmlns="{NS}"><identifier>&a8;</identifier></alert>'
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    f'<alert xmlns="{NS}"><identifier>&x;</identifier></alert>'
)
LATE_DOCTYPE = "<!-- " + "x" * 70_000 + " -->" + EXTERNAL.removeprefix('<?xml version="1.0"?>')

# (body, texts the message must contain per language, exit code, alerts stored)
DOCUMENT_CASES: dict[str, tuple[bytes, dict[str, list[str]]]] = {
    "entity expansion": (LAUGHS.encode(), {"ja": ["DOCTYPE"], "en": ["DOCTYPE"]}),
    "external entity": (EXTERNAL.encode(), {"ja": ["DOCTYPE"], "en": ["DOCTYPE"]}),
    "UTF-16 DOCTYPE": (
        EXTERNAL.replace('"1.0"?>', '"1.0" encoding="UTF-16"?>').encode("utf-16"),
        {"ja": ["DOCTYPE"], "en": ["DOCTYPE"]},
    ),
    "DOCTYPE past the probe": (LATE_DOCTYPE.encode(), {"ja": ["DOCTYPE"], "en": ["DOCTYPE"]}),
    "deep nesting": (
        ("<a>" * 100_000 + "</a>" * 100_000).encode(),
        {"ja": ["入れ子", "32"], "en": ["nested too deeply", "32"]},
    ),
    "not XML": (b"\x00\x01PK garbage", {"ja": ["cap.xml"], "en": ["cap.xml"]}),
    "no alerts": (b"<rss><channel/></rss>", {"ja": ["alert"], "en": ["no CAP 1.2 alert"]}),
    "empty": (b"", {"ja": ["cap.xml"], "en": ["cap.xml"]}),
}


@pytest.mark.parametrize("name", list(DOCUMENT_CASES))
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_refused_documents(db: None, tmp_path: Path, name: str, lang: str) -> None:
    body, texts = DOCUMENT_CASES[name]
    path = tmp_path / "cap.xml"
    path.write_bytes(body)
    with measured() as spent:
        out = runner.invoke(
            app,
            [
                "events",
                "fetch",
                "--cap",
                "--file",
                str(path),
                "--source",
                "cap.xml",
                "--lang",
                lang,
            ],
        )
    spent.check()
    assert out.exit_code == 1, out.output
    for text in texts[lang]:
        assert text in out.output, out.output
    assert Event.objects.count() == 0


def test_oversized_document(db: None, tmp_path: Path) -> None:
    path = files.oversized(tmp_path / "big.xml", MAX_FEED_BYTES + 1)
    with measured() as spent:
        out = runner.invoke(app, ["events", "fetch", "--cap", "--file", str(path), "--lang", "en"])
    spent.check()
    assert out.exit_code == 1 and "too large" in out.output
    assert Event.objects.count() == 0


POLYGON = "<polygon>{}</polygon>"
ALERT_CASES: dict[str, tuple[str, dict[str, list[str]]]] = {
    **{
        f"{char_name} in the headline": (
            alert(f"Quake{char}here"),
            {"ja": ["headline"], "en": ["headline", "unwanted"]},
        )
        for char_name, char in files.CHARACTERS.items()
        if "\x00" not in char
    },
    "NaN coordinates": (
        alert(area=POLYGON.format("nan,nan 1,1 2,2 nan,nan")),
        {"ja": ["polygon", "nan,nan"], "en": ["polygon", "nan,nan"]},
    ),
    "latitude out of range": (
        alert(area="<circle>91,10 5</circle>"),
        {"ja": ["circle"], "en": ["circle", "91,10"]},
    ),
    "too many vertices": (
        alert(area=POLYGON.format(" ".join(["1,1"] * 6000))),
        {"ja": ["5000"], "en": ["5000", "polygon"]},
    ),
    "impossible date": (
        alert(sent="2026-13-45T00:00:00Z"),
        {"ja": ["sent", "2026-13-45"], "en": ["sent", "2026-13-45"]},
    ),
    "no headline or event": (
        alert(headline="").replace("<event>Earthquake</event>", ""),
        {"ja": ["headline"], "en": ["headline is missing"]},
    ),
}


@pytest.mark.parametrize("name", list(ALERT_CASES))
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_refused_alert_is_located_and_the_good_one_still_comes_in(
    db: None, tmp_path: Path, name: str, lang: str
) -> None:
    bad, texts = ALERT_CASES[name]
    path = tmp_path / "cap.xml"
    path.write_text(doc(alert("Good one"), bad), encoding="utf-8")
    with measured() as spent:
        out = runner.invoke(app, ["events", "fetch", "--cap", "--file", str(path), "--lang", lang])
    spent.check()
    assert out.exit_code == 0, out.output
    assert ("2" in out.output) and all(t in out.output for t in texts[lang]), out.output
    assert list(Event.objects.values_list("title_en", flat=True)) == ["Good one"]


def test_nul_is_not_xml(db: None, tmp_path: Path) -> None:
    path = tmp_path / "cap.xml"
    path.write_text(doc(alert("a\x00b")), encoding="utf-8")
    out = runner.invoke(app, ["events", "fetch", "--cap", "--file", str(path), "--lang", "en"])
    assert out.exit_code == 1 and "not well-formed XML" in out.output
    assert Event.objects.count() == 0
