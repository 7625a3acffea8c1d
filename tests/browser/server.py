"""A real server for the browser tests: gunicorn on a free loopback port.

The server runs in its own process against its own database (a temporary
SQLite file, or a fresh `test_<name>_browser` PostgreSQL database when
DATABASE_URL points at PostgreSQL), prepared the way a deployment is:
migrate, then the demo catalogue. Keeping it out of the test process means
no shared transactions and no Playwright event loop near the Django ORM.

`python -m tests.browser.server` is the seeding step the fixture runs inside
the server's environment (see `seed()`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EDITOR_USERNAME = "browser-editor"
EDITOR_PASSWORD = "a-long-browser-test-password"
REVIEW_SLUG = "midjourney-for-concept-art"
START_TIMEOUT = 30.0
WORKERS = 3


@dataclass
class LiveSite:
    """One prepared database and the gunicorn process serving it."""

    workdir: Path
    database_url: str = ""
    port: int = 0
    process: subprocess.Popen | None = None
    _drop_database: str = field(default="", repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url,
            DJANGO_SETTINGS_MODULE="directory.settings",
            DJANGO_DEBUG="0",
            DJANGO_PRODUCTION="0",
            DJANGO_HTTPS="0",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self) -> None:
        self.database_url = self._create_database()
        self.run_python("-m", "tests.browser.server")
        self.port = _free_port()
        # gunicorn.conf.py (the production settings) applies; these flags override it.
        command = [sys.executable, "-m", "gunicorn", "directory.wsgi:application"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS)]
        with (self.workdir / "gunicorn.log").open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_until_up()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._drop_database:
            _postgres_admin(self.database_url, f'DROP DATABASE IF EXISTS "{self._drop_database}"')

    def run_python(self, *args: str) -> str:
        """Run Python in the server's environment (same database); return stdout."""
        done = subprocess.run(
            [sys.executable, *args], cwd=REPO, env=self.env, capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def shell(self, code: str) -> str:
        return self.run_python("manage.py", "shell", "--no-imports", "-c", code).strip()

    def log_tail(self, lines: int = 40) -> str:
        path = self.workdir / "gunicorn.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def _create_database(self) -> str:
        base = os.environ.get("DATABASE_URL", "")
        if not base.startswith(("postgres://", "postgresql://")):
            return f"sqlite:///{self.workdir / 'site.sqlite3'}"
        import dj_database_url

        name = f"test_{dj_database_url.parse(base)['NAME']}_browser"
        _postgres_admin(base, f'DROP DATABASE IF EXISTS "{name}"')
        _postgres_admin(base, f'CREATE DATABASE "{name}"')
        self._drop_database = name
        return base.rsplit("/", 1)[0] + f"/{name}"

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/robots.txt", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT} s:\n{self.log_tail()}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_admin(database_url: str, statement: str) -> None:
    """Run one statement on the server's maintenance database (outside a transaction)."""
    import dj_database_url
    import psycopg

    settings = dj_database_url.parse(database_url)
    with psycopg.connect(
        dbname="postgres",
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    ) as connection:
        if "DROP DATABASE" in statement:
            statement += " WITH (FORCE)"
        connection.execute(statement)


def seed() -> None:
    """Migrate, load the demo catalogue, add an editor and one published review."""
    import django

    django.setup()
    from django.core.management import call_command

    from catalog.models import Tool
    from tests.editorial_factories import ReviewFactory
    from tests.factories import EditorFactory

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_catalogue", verbosity=0)
    editor = EditorFactory(username=EDITOR_USERNAME, first_name="Bea", last_name="Rowser")
    editor.set_password(EDITOR_PASSWORD)
    editor.save(update_fields=["password"])
    ReviewFactory(
        tool=Tool.objects.get(slug="midjourney"),
        author=editor,
        headline="Midjourney for concept art",
        slug=REVIEW_SLUG,
    )


if __name__ == "__main__":
    seed()
