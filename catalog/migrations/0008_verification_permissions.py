"""Editors record provenance (view, add, change); senior editors may also delete a record."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_CODENAMES = ["view_verification", "add_verification", "change_verification"]
SENIOR_CODENAMES = [*EDITOR_CODENAMES, "delete_verification"]


def grant(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    app_config = apps.get_app_config("catalog")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(codenames):
        return Permission.objects.filter(content_type__app_label="catalog", codename__in=codenames)

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*perms(EDITOR_CODENAMES))
    for seniors in Group.objects.filter(name="Senior editors"):
        seniors.permissions.add(*perms(SENIOR_CODENAMES))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=["Editors", "Senior editors"]
    ):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="catalog", codename__in=SENIOR_CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_provenance_api_split_self_hosted"),
        # The Senior editors group must exist to receive its share.
        ("editorial", "0002_editorial_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
