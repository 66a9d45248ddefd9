"""The content version that cached pages are filed under (techniques/page_cache/content_version.py)."""

from django.db import migrations, models

import techniques.page_cache.content_version


def create_the_row(apps, schema_editor):
    apps.get_model("techniques", "ContentVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("techniques", "0003_editors_group"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("counter", models.BigIntegerField(default=0, help_text="How many changes so far.")),
                (
                    "token",
                    models.CharField(
                        default=techniques.page_cache.content_version.new_content_token,
                        help_text=(
                            "Random, renewed by every change: a version is never reused, even after a database "
                            "restore."
                        ),
                        max_length=16,
                    ),
                ),
            ],
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
