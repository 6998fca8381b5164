from rest_framework.routers import SimpleRouter

from applications import api

router = SimpleRouter()
router.register("achievements", api.AchievementViewSet, basename="achievement")
router.register("", api.ApplicationViewSet, basename="application")

urlpatterns = router.urls
