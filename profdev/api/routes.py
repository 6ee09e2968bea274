"""Every app with an API has `<app>/api/routes.py` with `register(router)`; this collects them."""

import importlib

from rest_framework.routers import DefaultRouter

API_APPS = [
    "orgs",
    "people",
    "learning",
    "events",
    "mentorship",
    "roadmap",
    "indicators",
    "reports",
    "imports",
]


def register_routes(router: DefaultRouter) -> None:
    for app in API_APPS:
        try:
            module = importlib.import_module(f"profdev.{app}.api.routes")
        except ModuleNotFoundError as error:
            if error.name not in (f"profdev.{app}.api", f"profdev.{app}.api.routes"):
                raise
            continue
        module.register(router)
