from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class EditorsAdminConfig(admin_apps.AdminConfig):
    """The admin, with the editors' site (editorial.admin_site) as `admin.site`."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "editorial.admin_site.EditorsAdminSite"


class EditorialConfig(AppConfig):
    default = True
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from editorial.models import Review
        from editorial.scores import on_review_change, remember_tool

        # Published reviews show on public pages: syncing the tool's score also
        # moves the catalogue version (editorial.scores).
        pre_save.connect(remember_tool, sender=Review, dispatch_uid="review-score-tool")
        post_save.connect(on_review_change, sender=Review, dispatch_uid="review-score-save")
        post_delete.connect(on_review_change, sender=Review, dispatch_uid="review-score-delete")
