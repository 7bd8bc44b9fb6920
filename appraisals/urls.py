"""The appraisal pages under /appraisals/; each view module declares its own routes."""

from .views import appraisal, cycles, feedback, ratings

app_name = "appraisals"
urlpatterns = [*cycles.urlpatterns, *ratings.urlpatterns, *feedback.urlpatterns, *appraisal.urlpatterns]
