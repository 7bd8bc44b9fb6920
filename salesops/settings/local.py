"""`make run`: the embedded default (SQLite, eager Celery) unless DATABASE_URL / REDIS_URL are set."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is acceptable only here: the local server is never exposed.
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
