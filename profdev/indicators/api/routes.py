from rest_framework.routers import DefaultRouter

from profdev.indicators.api.views import IndicatorViewSet


def register(router: DefaultRouter) -> None:
    router.register("indicators", IndicatorViewSet, basename="indicator")
