"""Officials of the generated regions open the dashboard and the teacher list.

Driven by bench/load_bench.py (headless, bounded in users and time). Each simulated user takes
the session of an official of one region (LOAD_SESSIONS, logged in by the runner: g01-official,
g02-official, ... made by `manage.py generate_country`, or demo-official) and then opens the pages of
LOAD_PAGES (dashboard, teachers, healthz) at random; without LOAD_SESSIONS it logs in itself.
Think time comes from LOAD_WAIT_MIN / LOAD_WAIT_MAX seconds. The client is locust's
`FastHttpUser` (geventhttpclient): locust runs on the same 2 cores as the server, and its
requests-based client cost several times more CPU per request.
"""

import os
import random
import re

from locust import FastHttpUser, between, constant, task

YEAR = os.environ.get("LOAD_YEAR", "2025")
REGIONS = int(os.environ.get("LOAD_REGIONS", "85"))
USERNAME = os.environ.get("LOAD_USERNAME", "")
PASSWORD = os.environ.get("LOAD_PASSWORD", "country-2026")
WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "0"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "0"))
PAGE_LIST = [p for p in os.environ.get("LOAD_PAGES", "dashboard,teachers").split(",") if p]
SESSIONS = [s for s in os.environ.get("LOAD_SESSIONS", "").split(",") if s]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Official(FastHttpUser):
    wait_time = between(WAIT_MIN, WAIT_MAX) if WAIT_MAX > 0 else constant(0)

    def on_start(self) -> None:
        if SESSIONS:  # logged in by the runner: the load measures pages, not password hashing
            self.headers = {"Cookie": f"sessionid={random.choice(SESSIONS)}"}
            return
        self.headers = {}
        username = USERNAME or f"g{random.randint(1, REGIONS):02d}-official"
        page = self.client.get("/accounts/login/", name="login page")
        found = TOKEN.search(page.text)
        self.client.post(
            "/accounts/login/",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": found.group(1) if found else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
        )

    @task
    def page(self) -> None:
        """One of the pages in LOAD_PAGES, chosen at random for each request."""
        name = random.choice(PAGE_LIST)
        if name == "dashboard":
            url, label = f"/indicators/?year={YEAR}", "dashboard"
        elif name == "teachers":
            url, label = f"/people/teachers/?page={random.randint(1, 20)}", "teacher list"
        else:  # the trivial baseline: the middleware stack, the session and one SELECT 1
            url, label = "/healthz", "healthz"
        with self.client.get(
            url, name=label, headers=self.headers, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code} at {response.url}")
