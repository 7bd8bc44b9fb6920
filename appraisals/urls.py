"""The appraisal pages under /appraisals/; each view module declares its own routes."""

from .views import appraisal, cycles, feedback, listing, ratings

app_name = "appraisals"
urlpatterns = [*listing.urlpatterns, *cycles.urlpatterns, *ratings.urlpatterns, *feedback.urlpatterns,
               *appraisal.urlpatterns]
