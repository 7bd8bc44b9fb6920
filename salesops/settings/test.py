"""The suite: real PostgreSQL and Redis, defaulting to the local servers."""

from .base import *  # noqa: F403
from .base import DATABASES, REST_FRAMEWORK, env

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

DATABASES["default"] = env.db("DATABASE_URL", default="postgres://postgres@localhost:5432/salesops")
REDIS_URL = env("REDIS_URL", default="redis://localhost:6379/15")
CELERY_BROKER_URL = REDIS_URL
# Unit tests of task wiring run eagerly; tests about tasks start a real worker on Redis (a worker process is
# started with CELERY_TASK_ALWAYS_EAGER=0, so what it queues itself goes to Redis as in production).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# The worker-process tests pause a sweep between months so that a kill -9 lands in the middle of one.
ROLLUP_SWEEP_PAUSE_SECONDS = env.float("ROLLUP_SWEEP_PAUSE_SECONDS", default=0.0)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the finders: the suite never runs collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Far above what a test sends: the throttle tests set their own low rates (tests/teams/test_throttling.py), and
# the cache they count in (each process's memory) is emptied before every test (tests/conftest.py).
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "100000/minute", "user": "100000/minute"}}
