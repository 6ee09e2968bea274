"""Helpers for the browser journeys: a seeded server, a Chromium page, screenshots and axe.

The journeys drive the application as people do: a real `runserver` on 127.0.0.1 in a
subprocess, against a small seeded demo region in its own SQLite file, and Debian's Chromium
through Playwright (never a downloaded browser). Screenshots and the accessibility results go
to `artifacts/` (git-ignored), which CI keeps.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = Path(os.environ.get("PROFDEV_ARTIFACTS", REPO / "artifacts"))
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = os.environ.get("PROFDEV_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# Small enough to seed in seconds, big enough that every page has something on it.
SEED_SCALE = os.environ.get("PROFDEV_BROWSER_SCALE", "0.03")
BLOCKING_IMPACTS = {"serious", "critical"}


@dataclass
class Server:
    base_url: str
    var_dir: Path
    env: dict[str, str]
    passwords: dict[str, str]
    facts: dict[str, Any]
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    def url(self, path: str) -> str:
        return self.base_url + path

    def manage(self, *args: str, timeout: int = 120) -> str:
        return _manage(self.env, *args, timeout=timeout)

    def run_python(self, code: str) -> str:
        """Run Python inside the server's Django setup (for what a test must change behind the UI)."""
        return self.manage("shell", "-c", code)


def _manage(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(workdir: Path) -> Server:
    """Migrate and seed a fresh SQLite database, then serve it with `runserver`."""
    var_dir = workdir / "var"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "PROFDEV_VAR_DIR": str(var_dir),
            "DATABASE_URL": f"sqlite:///{var_dir / 'browser.sqlite3'}",
            "PYTHONUNBUFFERED": "1",
        }
    )
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "seed_demo", "--scale", SEED_SCALE)
    passwords = {}
    for line in (var_dir / "demo-credentials.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            passwords[parts[0]] = parts[1]
    facts = json.loads(
        _manage(env, "shell", "-c", "from profdev.common.tests.browser_facts import main; main()")
        .strip()
        .splitlines()[-1]
    )
    port = _free_port()
    log_path = workdir / "server.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, str(REPO / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2):
                break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(log_path.read_text(encoding="utf-8", errors="replace")) from None
            time.sleep(0.2)
    else:
        process.terminate()
        raise RuntimeError("the server did not answer on /healthz")
    return Server(base_url, var_dir, env, passwords, facts, process, log_path)


def stop_server(server: Server) -> None:
    if server.process is not None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
    if server.log_path is not None and server.log_path.exists():
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(server.log_path, ARTIFACTS / "server.log")


@dataclass
class AxeLog:
    """Accessibility results of every scanned page, written to artifacts/axe.json."""

    pages: dict[str, Any] = field(default_factory=dict)

    def write(self) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "axe.json").write_text(
            json.dumps(self.pages, ensure_ascii=False, indent=1), encoding="utf-8"
        )


AXE_LOG = AxeLog()


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def axe_violations(page: Any, name: str) -> list[dict[str, Any]]:
    """Run axe-core (vendored, served from /static/ so the CSP allows it) in the page.

    Returns the serious and critical violations and records all of them in artifacts/axe.json.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url="/static/vendor/axe/axe.min.js")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                count: v.nodes.length,
            }));
        }"""
    )
    AXE_LOG.pages[name] = {
        "url": page.url,
        "violations": result,
        "serious_or_critical": sum(1 for v in result if v["impact"] in BLOCKING_IMPACTS),
    }
    AXE_LOG.write()
    return [v for v in result if v["impact"] in BLOCKING_IMPACTS]


def check_page(page: Any, name: str) -> None:
    """Screenshot the page, assert axe finds nothing serious and no script failed on it."""
    screenshot(page, name)
    errors = list(getattr(page, "console_errors", []))
    if errors:
        page.console_errors.clear()
    assert not errors, f"{name}: errors in the browser console: {errors}"
    blocking = axe_violations(page, name)
    assert not blocking, f"{name}: {json.dumps(blocking, ensure_ascii=False, indent=1)}"


def login(page: Any, server: Server, username: str, *, next_path: str = "") -> None:
    target = "/accounts/login/" + (f"?next={next_path}" if next_path else "")
    page.goto(server.url(target))
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(server.passwords[username])
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state("domcontentloaded")
    assert "/accounts/login/" not in page.url, f"login as {username} failed"
