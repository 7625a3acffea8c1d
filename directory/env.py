"""Typed readers for environment variables that fail loudly on bad values.

Shared by the Django settings and the gunicorn config, which must agree.
"""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from exc


def env_networks(name: str, default: list[str]) -> list[str]:
    """Comma-separated IP addresses or networks ("127.0.0.1,10.0.0.0/8"), each checked.

    Host bits in a network ("10.0.0.5/8") are refused as a likely typo, as gunicorn does.
    """
    entries = env_list(name, default)
    for entry in entries:
        try:
            ipaddress.ip_network(entry)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks, got {entry!r}"
            ) from exc
    return entries
