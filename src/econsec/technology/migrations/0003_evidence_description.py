from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("technology", "0002_concern_country_reasons")]

    operations = [
        migrations.AddField("incidentevidence", "description",
                            models.TextField(blank=True, default="")),  # fmt: skip
    ]
