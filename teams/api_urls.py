from rest_framework.routers import DefaultRouter

from .api import EmployeeViewSet, TeamViewSet

router = DefaultRouter()
router.register("teams", TeamViewSet, basename="team")
router.register("employees", EmployeeViewSet, basename="employee")
urlpatterns = router.urls
