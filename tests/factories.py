"""factory-boy factories, one per model; slugs derive from names."""

import datetime

import factory
from django.contrib.auth.models import Group, User
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from catalog import models
from catalog.provenance import Verification


class ModalityFactory(DjangoModelFactory[models.Modality]):
    class Meta:
        model = models.Modality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Modality {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ModelFamilyFactory(DjangoModelFactory[models.ModelFamily]):
    class Meta:
        model = models.ModelFamily
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Family {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class UseCaseFactory(DjangoModelFactory[models.UseCase]):
    class Meta:
        model = models.UseCase
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Use case {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class PlatformFactory(DjangoModelFactory[models.Platform]):
    class Meta:
        model = models.Platform
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Platform {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class InteractionFactory(DjangoModelFactory[models.Interaction]):
    class Meta:
        model = models.Interaction
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Interaction {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class VendorFactory(DjangoModelFactory[models.Vendor]):
    class Meta:
        model = models.Vendor
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Vendor {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    website = factory.LazyAttribute(lambda o: f"https://{o.slug}.example.com/")


class AIModelFactory(DjangoModelFactory[models.AIModel]):
    class Meta:
        model = models.AIModel

    name = factory.Sequence(lambda n: f"Model {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    family = factory.SubFactory(ModelFamilyFactory)
    developer = factory.SubFactory(VendorFactory)


class ToolFactory(DjangoModelFactory[models.Tool]):
    """A published, proprietary, freemium tool unless told otherwise.

    Pass lists to the relation names (`output_modalities=[image]`) to tag it.
    """

    class Meta:
        model = models.Tool
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Tool {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    pitch = factory.LazyAttribute(lambda o: f"{o.name} does one thing well.")
    vendor = factory.SubFactory(VendorFactory)
    website = factory.LazyAttribute(lambda o: f"https://{o.slug}.example.com/")
    status = models.Tool.Status.PUBLISHED
    pricing_model = models.Tool.PricingModel.FREEMIUM
    licence_class = models.LicenceClass.PROPRIETARY
    commercial_use = models.Tool.CommercialUse.ALLOWED

    @factory.post_generation
    def checked_on(self, create, extracted, **kwargs):
        """`checked_on=date`: an editor checked it against the vendor's page that day."""
        if create and extracted:
            VerificationFactory(tool=self, as_of=extracted)
            self.refresh_from_db(fields=["last_checked"])

    @factory.post_generation
    def input_modalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.input_modalities.set(extracted)

    @factory.post_generation
    def output_modalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.output_modalities.set(extracted)

    @factory.post_generation
    def families(self, create, extracted, **kwargs):
        if create and extracted:
            self.families.set(extracted)

    @factory.post_generation
    def ai_models(self, create, extracted, **kwargs):
        if create and extracted:
            self.ai_models.set(extracted)

    @factory.post_generation
    def use_cases(self, create, extracted, **kwargs):
        if create and extracted:
            self.use_cases.set(extracted)

    @factory.post_generation
    def platforms(self, create, extracted, **kwargs):
        if create and extracted:
            self.platforms.set(extracted)

    @factory.post_generation
    def interactions(self, create, extracted, **kwargs):
        if create and extracted:
            self.interactions.set(extracted)


class VerificationFactory(DjangoModelFactory[Verification]):
    """An editor's check against the vendor's pricing page, covering every fact group."""

    class Meta:
        model = Verification

    tool = factory.SubFactory(ToolFactory)
    method = Verification.Method.VENDOR_PAGE
    as_of = factory.LazyFunction(datetime.date.today)
    checked_by = factory.SubFactory("tests.factories.EditorFactory")
    source_url = factory.LazyAttribute(lambda o: f"{o.tool.website}pricing")
    covers_pricing = True
    covers_rights = True
    covers_licence = True
    covers_capabilities = True


class PricingPlanFactory(DjangoModelFactory[models.PricingPlan]):
    class Meta:
        model = models.PricingPlan

    tool = factory.SubFactory(ToolFactory)
    name = factory.Sequence(lambda n: f"Plan {n}")
    price = factory.Faker("pydecimal", left_digits=3, right_digits=2, positive=True)
    period = models.Tool.Period.MONTH


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("a-long-test-password")


class EditorFactory(UserFactory):
    """Staff member in the Editors group created by the data migration."""

    is_staff = True

    @factory.post_generation
    def editors_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name="Editors"))
