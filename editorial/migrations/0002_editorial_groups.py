"""Give Editors the editorial permissions (not publishing); create Senior editors.

Senior editors get everything Editors have, plus publishing and deleting reviews,
so one group is enough for a senior editor.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_CODENAMES = [
    "add_review",
    "change_review",
    "view_review",
    "view_submission",
    "change_submission",
    "view_linkcheck",
]
SENIOR_CODENAMES = [*EDITOR_CODENAMES, "publish_review", "delete_review", "delete_submission"]


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    app_config = apps.get_app_config("editorial")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def editorial(codenames):
        return Permission.objects.filter(
            content_type__app_label="editorial", codename__in=codenames
        )

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*editorial(EDITOR_CODENAMES))
    seniors, _ = Group.objects.get_or_create(name="Senior editors")
    seniors.permissions.add(*editors.permissions.all(), *editorial(SENIOR_CODENAMES))


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name="Senior editors").delete()
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="editorial", codename__in=EDITOR_CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("catalog", "0002_editors_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
