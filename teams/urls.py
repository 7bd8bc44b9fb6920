from django.urls import path

from . import views
from .tokens import views as tokens

app_name = "teams"
urlpatterns = [
    path("organisation/", views.organisation, name="organisation"),
    path("people/", views.people, name="people"),
    path("teams/<int:pk>/", views.team, name="team"),
    path("people/<int:pk>/", views.employee, name="employee"),
    path("me/", views.me, name="me"),
    path("me/tokens/", tokens.tokens, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
