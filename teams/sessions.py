"""Sessions in the database that end after SESSION_COOKIE_AGE idle: a session in use is renewed for another
full age, at most once per SESSION_RENEW_SECONDS. (SESSION_SAVE_EVERY_REQUEST would do it with a write, three
queries, on every request and every htmx call; this writes once in a few minutes of use.)"""

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        if session is not None:
            left = (session.expire_date - timezone.now()).total_seconds()
            if left < settings.SESSION_COOKIE_AGE - settings.SESSION_RENEW_SECONDS:
                self.modified = True  # SessionMiddleware saves it with a new expiry, and renews the cookie
        return session
