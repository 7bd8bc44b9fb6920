"""`Authorization: Bearer <token>` (or `Token <token>`) for scripts: the request acts as the token's user.

Nothing else comes from the token: the principal is built from the user (teams.access), so a token carries its
user's role and scope, never more. The browser keeps SessionAuthentication, with its CSRF check.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from teams import audit
from teams.tokens import services

KEYWORDS = ("bearer", "token")


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in KEYWORDS:
            return None  # not ours: another class (the session) may authenticate the request
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”."))
        now = timezone.now()
        token = services.token_for_key(parts[1].decode(errors="replace"), now=now)
        if token is None:
            raise AuthenticationFailed(_("The token is unknown, revoked or expired, or its user may no longer sign "
                                         "in."))
        services.token_used(token=token, ip=audit.client_address(request), now=now, request=request)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # a 401 (not 403) for a request without credentials, naming the scheme to use
        return 'Bearer realm="api"'
