"""The wizard's words: why a tool fits, what to watch, why a tool was left out.

Sentences only; which tools fit and how much is decided elsewhere
(`rules` and `scoring`). Every function here reads facts already loaded.
"""

from __future__ import annotations

from collections.abc import Iterable

from catalog.models import CommercialUse, LicenceClass, PricingModel, Tool, Training
from catalog.wizard.answers import Answers, Choices


def must_have_reasons(tool: Tool, answers: Answers) -> list[str]:
    """How the tool meets each must-have the reader set, in their words."""
    reasons = []
    if answers.budget in ("free", "monthly"):
        reasons += _budget_reason(tool)
    if answers.commercial and tool.commercial_use == CommercialUse.ALLOWED:
        reasons.append("You may use what it makes commercially")
    if answers.open:
        reasons.append(_open_reason(tool))
    if answers.private and tool.trains_on_user_data == Training.NO:
        reasons.append("Does not train on your data")
    return reasons


def _budget_reason(tool: Tool) -> list[str]:
    if tool.pricing_model == PricingModel.FREE:
        return ["Free to use"]
    if tool.pricing_model == PricingModel.SELF_HOSTED:
        return ["Free to self-host"]
    if tool.has_free_tier:
        return ["Has a free tier"]
    if tool.starting_price is not None:
        period = tool.get_price_period_display() if tool.price_period else ""
        price = f"From {tool.currency} {tool.starting_price.normalize():f} {period}".strip()
        return [f"{price}, within your budget"]
    return []


def _open_reason(tool: Tool) -> str:
    if tool.licence_class == LicenceClass.OPEN_SOURCE:
        return f"Open source ({tool.licence_spdx})" if tool.licence_spdx else "Open source"
    if tool.licence_class == LicenceClass.OPEN_WEIGHTS:
        return "Open weights you can run yourself"
    return "Can be self-hosted"


def warnings(tool: Tool, answers: Answers, *, free_to_start: bool, pay_per_use: bool) -> list:
    """What to check before choosing the tool, whatever the answers ranked."""
    found = []
    if not free_to_start and answers.budget != "enterprise":
        found.append("No free tier")
    found += _commercial_use_warnings(tool)
    if not tool.has_public_api and ("api" in answers.work or answers.scale == "high_volume"):
        found.append("No API")
    found += _training_warnings(tool, answers)
    if pay_per_use and answers.budget == "monthly":
        found.append("Priced per use: the monthly cost depends on how much you make")
    return found


def _commercial_use_warnings(tool: Tool) -> list[str]:
    if tool.commercial_use == CommercialUse.CONDITIONAL:
        condition = tool.commercial_use_condition.rstrip(".")
        if condition:
            return [f"Commercial use only with conditions: {condition}"]
        return ["Commercial use only with conditions"]
    if tool.commercial_use == CommercialUse.NOT_ALLOWED:
        return ["What it makes may not be used commercially"]
    if tool.commercial_use == CommercialUse.UNCLEAR:
        return ["Commercial use of what it makes is unclear: check the terms"]
    return []


def _training_warnings(tool: Tool, answers: Answers) -> list[str]:
    if tool.trains_on_user_data == Training.YES:
        return ["Trains on what you give it"]
    if tool.trains_on_user_data == Training.OPT_OUT:
        return ["Trains on your data unless you opt out"]
    if tool.trains_on_user_data == Training.VARIES and answers.private:
        return ["Whether it trains on your data depends on the plan"]
    return []


def exclusion_reason(
    key: str, answers: Answers, choices: Choices | None = None, *, one: bool = False
) -> str:
    """Why tools breaking the must-have `key` were left out (`one`: said of one tool)."""
    if key == "budget":
        if answers.budget == "free":
            return "cannot be used for free"
        cost = "costs" if one else "cost"
        has = "has" if one else "have"
        return f"{cost} more than {answers.max_monthly:,} a month, or {has} no public price"
    do = "does" if one else "do"
    if key == "commercial":
        return f"{do} not clearly allow commercial use of what {'it makes' if one else 'they make'}"
    if key == "open":
        return f"{'is' if one else 'are'} neither open source nor self-hostable"
    if key == "private":
        return f"{'trains' if one else 'train'} on your data, or {do} not say"
    names = [choices.name("modalities", o) if choices else o for o in answers.wanted_outputs]
    return f"{do} not make {or_(word(n) for n in names)}"


def broken_must_haves(
    tool: Tool, answers: Answers, keys: Iterable[str], choices: Choices | None = None
) -> list[str]:
    """Why one left-out tool was left out: a phrase per must-have it breaks.

    Reads the `breaks_<key>` flags `ExcludedTools` sets on the tools it pages.
    """
    return [
        exclusion_reason(key, answers, choices, one=True)
        for key in keys
        if getattr(tool, f"breaks_{key}", False)
    ]


def word(name: str) -> str:
    """A vocabulary name inside a sentence: 'Audio' -> 'audio', but '3D' stays."""
    return name if name[:1].isdigit() or name.isupper() else name.lower()


def and_(items: Iterable[str]) -> str:
    return _join(list(items), "and")


def or_(items: Iterable[str]) -> str:
    return _join(list(items), "or")


def _join(items: list[str], conjunction: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
