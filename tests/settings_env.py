"""Settings as a fresh process sees them under a given environment.

The settings module reads the environment once, at import, so the only honest
way to test what a deployment's variables do is a new interpreter.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_PRODUCTION": "1",
    "DJANGO_SECRET_KEY": "test-" + "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "directory.example.org",
}


def settings_under(env: dict[str, str], *names: str) -> dict:
    """Settings as a fresh process with `env` sees them (the module reads env at import)."""
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environ |= {"DJANGO_SETTINGS_MODULE": "directory.settings", **env}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
