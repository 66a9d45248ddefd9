"""The "Editors" group: every permission on the site's content, and nothing else (no users,
groups or sessions)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
NOT_CONTENT = {"loadedseed"}


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; this group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    content = Permission.objects.filter(content_type__app_label="techniques").exclude(
        content_type__model__in=NOT_CONTENT
    )
    group.permissions.set(content)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("techniques", "0002_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
