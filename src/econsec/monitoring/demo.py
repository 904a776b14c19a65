"""The demo step: a few events on the demo company, so the inbox and the report have content."""

from __future__ import annotations

from importlib import resources

from econsec.i18n import t

DEMO_ACTOR = "econsec-demo"


def demo_events(lang: str) -> None:
    """Import the demo events (a second run finds them by key and adds nothing)."""
    from rich.console import Console

    from econsec import safe_yaml
    from econsec.monitoring import service
    from econsec.monitoring.models import Alert

    text = (
        resources.files("econsec.monitoring").joinpath("data/demo_events.yaml").read_text("utf-8")
    )
    data = safe_yaml.load(text, source="demo_events.yaml")[0]
    service.import_events(data["events"], "demo_events.yaml", actor=DEMO_ACTOR, with_tts=True)
    # Only the demo's own events: the demo's list loads add internal alerts of their own.
    alerts = Alert.objects.filter(notes__kind="created", notes__author=DEMO_ACTOR).distinct()
    Console().print(
        t(
            "monitoring.demo.done",
            lang,
            count=alerts.count(),
            high=alerts.filter(severity="high").count(),
        ),
        markup=False,
    )
