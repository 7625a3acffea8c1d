from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self) -> None:
        # ToolAdmin (a VersionAdmin) registers Tool and its inline plans when the
        # admin loads; register them here too so history is kept without the admin
        # (shell, commands, tests) and Tool always brings its plans along.
        import reversion
        from django.db.models.signals import post_delete, post_save

        from catalog.models import PricingPlan, Tool
        from editorial.models import Review
        from editorial.scores import on_review_change

        # Published reviews show on public pages: syncing the tool's score also
        # moves the catalogue version (editorial.scores).
        post_save.connect(on_review_change, sender=Review, dispatch_uid="review-score-save")
        post_delete.connect(on_review_change, sender=Review, dispatch_uid="review-score-delete")

        if not reversion.is_registered(PricingPlan):
            reversion.register(PricingPlan)
        if not reversion.is_registered(Tool):
            reversion.register(Tool, follow=["plans"])
