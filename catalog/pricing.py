"""A tool's starting price against its plans: one rule, used by the admin and by imports.

The starting price is the cheapest paid plan's price in the tool's currency.
Plans priced per use (per image, per million tokens) only count when every
paid plan is priced that way: "from 0.04 per image" and "from 20 per month"
are not comparable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from catalog.models import Period


@dataclass(frozen=True)
class PlanPrice:
    name: str
    price: Decimal | None
    currency: str
    period: str


def cheapest_paid(plans: Iterable[PlanPrice], *, currency: str) -> PlanPrice | None:
    """The plan whose price the starting price must be, or None when no plan sets one."""
    paid = [p for p in plans if p.price is not None and p.price > 0 and p.currency == currency]
    flat = [p for p in paid if p.period != Period.USAGE]
    candidates = flat or paid
    return min(candidates, key=lambda p: (p.price, p.period != Period.MONTH), default=None)


def starting_price_problem(
    *, starting_price: Decimal | None, currency: str, plans: Iterable[PlanPrice]
) -> str:
    """Why a given starting price contradicts the plans ("" when it does not)."""
    cheapest = cheapest_paid(plans, currency=currency)
    if starting_price is None or cheapest is None or starting_price == cheapest.price:
        return ""
    period = f" {Period(cheapest.period).label}" if cheapest.period else ""
    return (
        f"The cheapest paid plan in {currency} is “{cheapest.name}” at {cheapest.price}{period}, "
        f"but the starting price says {starting_price}. Correct one of them, or leave the "
        "starting price empty to take it from the plans."
    )
