from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self) -> None:
        # ToolAdmin (a VersionAdmin) registers Tool and its inline plans when the
        # admin loads; register them here too so history is kept without the admin
        # (shell, commands, tests) and Tool always brings its plans along.
        import reversion

        from catalog.models import PricingPlan, Tool

        if not reversion.is_registered(PricingPlan):
            reversion.register(PricingPlan)
        if not reversion.is_registered(Tool):
            reversion.register(Tool, follow=["plans"])
