"""Create the Editors group: curate the catalogue, manage no users or groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_MODELS = [
    "modality",
    "modelfamily",
    "usecase",
    "platform",
    "interaction",
    "vendor",
    "aimodel",
    "tool",
    "pricingplan",
]
ACTIONS = ["view", "add", "change", "delete"]


def create_editors(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    app_config = apps.get_app_config("catalog")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    codenames = [f"{action}_{model}" for model in EDITOR_MODELS for action in ACTIONS]
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="catalog", codename__in=codenames)
    )


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
