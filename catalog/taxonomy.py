"""The vocabularies every catalogue page needs, loaded in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog.models import Interaction, Modality, ModelFamily, Platform, UseCase


@dataclass(frozen=True)
class Term:
    slug: str
    name: str


@dataclass(frozen=True)
class Taxonomy:
    modalities: list[Term]
    families: list[Term]
    use_cases: list[Term]
    platforms: list[Term]
    interactions: list[Term]
    _names: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    _choices: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, compare=False)

    def choices(self, vocabulary: str) -> tuple[tuple[str, str], ...]:
        """(slug, name) pairs; kept, since every catalogue page asks for them again."""
        choices = self._choices.get(vocabulary)
        if choices is None:
            choices = tuple((t.slug, t.name) for t in getattr(self, vocabulary))
            self._choices[vocabulary] = choices
        return choices

    def name(self, vocabulary: str, slug: str) -> str:
        names = self._names.get(vocabulary)
        if names is None:
            names = self._names[vocabulary] = dict(self.choices(vocabulary))
        return names.get(slug, slug)


def _terms(model) -> list[Term]:
    return [Term(slug, name) for slug, name in model.objects.values_list("slug", "name")]


def load_taxonomy() -> Taxonomy:
    """Five small queries; every list and filter form on a page shares the result."""
    return Taxonomy(
        modalities=_terms(Modality),
        families=_terms(ModelFamily),
        use_cases=_terms(UseCase),
        platforms=_terms(Platform),
        interactions=_terms(Interaction),
    )
