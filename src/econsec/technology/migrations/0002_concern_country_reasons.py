from django.db import migrations, models


def split_reason(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Earlier rows kept one reason, written "ja / en" by the demo; keep both halves.
    ConcernCountry = apps.get_model("technology", "ConcernCountry")
    for row in ConcernCountry.objects.all():
        ja, sep, en = row.reason_ja.partition(" / ")
        row.reason_ja, row.reason_en = (ja, en) if sep else (row.reason_ja, row.reason_ja)
        row.save(update_fields=["reason_ja", "reason_en"])


class Migration(migrations.Migration):
    dependencies = [("technology", "0001_initial")]

    operations = [
        migrations.RenameField("concerncountry", "reason", "reason_ja"),
        migrations.AddField("concerncountry", "reason_en",
                            models.TextField(blank=True, default="")),  # fmt: skip
        migrations.AddField("concerncountry", "source",
                            models.CharField(blank=True, default="", max_length=500)),  # fmt: skip
        migrations.AddField("concerncountry", "added_by",
                            models.CharField(blank=True, default="", max_length=200)),  # fmt: skip
        migrations.AddField("concerncountry", "added_at", models.DateTimeField(blank=True, null=True)),
        migrations.AlterModelOptions("concerncountry", {"ordering": ["country"]}),
        migrations.RunPython(split_reason, migrations.RunPython.noop),
    ]
