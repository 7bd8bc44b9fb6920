from django.urls import path  # noqa: F401 (each section below adds its paths)

from .views import board, bulletins, rankings, records, rules

app_name = "rewards"

# One section per sub-domain (docs/rewards.md); each section's views live in rewards/views/<section>.py.
urlpatterns = [
    # --- the register: records, their acts, totals, exports (views/records.py) ---
    *records.urlpatterns,

    # --- rules that propose (views/rules.py) ---
    *rules.urlpatterns,

    # --- the notice board and published rankings (views/board.py, views/rankings.py) ---
    *board.urlpatterns,
    *rankings.urlpatterns,

    # --- weekly work bulletins (views/bulletins.py) ---
    *bulletins.urlpatterns,

]
