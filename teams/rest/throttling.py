"""Rate limits: per token (each script its own budget) and per user (all of a user's tokens and their browser
together), both in REST_FRAMEWORK's DEFAULT_THROTTLE_RATES (settings, from the environment). Over the limit: 429
with Retry-After, in the error shape."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle

from teams.models import ApiToken


class _RatesFromSettings:
    def get_rate(self) -> str | None:
        # DRF reads the rates once, at import; read them per request so a settings override (tests) applies.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class TokenRateThrottle(_RatesFromSettings, SimpleRateThrottle):
    """The requests one token may make; a request signed in otherwise is not counted here."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class PerUserRateThrottle(_RatesFromSettings, UserRateThrottle):
    """The requests one user may make, however they sign in (an anonymous caller counts by address)."""

    scope = "user"
