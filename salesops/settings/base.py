"""Settings shared by every environment; each environment module only tightens them.

Every value comes from the environment (django-environ), so no secret lives in the repository.
"""

from datetime import date, timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A developer's .env is read if present; it is git-ignored (.env.example documents it).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here (no CDN)
    "import_export",
    "django_htmx",
    "template_partials",
    "axes",  # before teams: its log-in signal receivers run before the audit's
    "salesops",
    "teams",
    "targets",
    "kpis",
    "appraisals",
    "promotions",
    "rewards",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # First: a body over the limit is refused before any middleware or view reads it.
    "salesops.limits.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "teams.access.PrincipalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts, styles, images and requests from our own origin only, so a name
# that slipped past escaping still could not run. No template has an inline script, style or handler (templates/
# and the admin's overrides in templates/admin/); ECharts and page.js set styles through the CSSOM, which is allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "salesops.urls"
WSGI_APPLICATION = "salesops.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "salesops.navigation.navigation_links",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "teams.User"
# django-axes first: it refuses a locked-out log-in before any password is checked. Then Django's backend,
# refusing an employee who has left (teams/authentication.py), at log-in and on every request.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "teams.authentication.EmployeeBackend"]
# Failed log-ins (django-axes): five for one user name, or more from one address (an office shares one), lock
# signing in for the cool-off time, renewed by each try while locked; an admin unlocks by deleting the attempts.
# A success does not reset the count: it would also clear the address's count, letting someone with a log-in of
# their own go on guessing others' passwords from that address.
AXES_VERBOSE = False  # no banner on every start (manage.py commands print it to stdout)
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT_PER_USER", default=5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env.int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", default=20)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOL_OFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = False
AXES_HANDLER = "teams.authentication.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "teams.authentication.lockout_response"
AXES_CLIENT_IP_CALLABLE = "teams.authentication.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # log-ins are in the access events (teams/audit.py)
AXES_ENABLE_ADMIN = False  # teams/admin.py lists the attempts (deleting them unlocks); no empty logs beside them
# Behind this many reverse proxies of our own, the client's address is read from X-Forwarded-For (0: REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Passwords people choose are checked (the demo loader and tests set theirs through set_password, unchecked).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Cookies: the session's and the CSRF token's are out of scripts' reach (htmx sends the token from <body>'s
# hx-headers, no script reads the cookie) and not sent on cross-site requests; production makes them HTTPS-only.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A session ends after a working day without a request: in use, it is renewed for another full age at most every
# SESSION_RENEW_SECONDS (teams/sessions.py: not a write on every request as SESSION_SAVE_EVERY_REQUEST does).
SESSION_ENGINE = "teams.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=9 * 60 * 60)
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=5 * 60)

# Chinese first, English second; the organisation works on Beijing time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Browser libraries come from the npm registry (package.json, `npm ci` in the Makefile), never a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL  # the embedded default needs no broker
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a task whose worker process died goes back to the queue
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged task (its worker vanished) to another worker after this long: longer than the hard
# time limit, so a task still running is never handed out twice. The sweeps below heal sooner than that.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 20 * 60}
# One place for the schedule, in Asia/Shanghai time. Every 30 s a sweep takes the stale months nobody holds (a
# recompute lost to a crash or a broker outage): with the 15 s lease below, a lost month is picked up within 45 s
# even when no worker restarts. A sweep not taken within 25 s is dropped, the next one comes.
# Nightly, a full recompute ranks the month just begun, and then check_rollups compares every column.
CELERY_BEAT_SCHEDULE = {
    "rollups-sweep": {"task": "kpis.results.tasks.recompute_pending_rollups", "schedule": 30.0,
                      "options": {"expires": 25}},
    "nightly-rollups": {"task": "kpis.results.tasks.recompute_all_rollups", "schedule": crontab(hour=2, minute=30)},
    "nightly-rollup-check": {"task": "kpis.results.tasks.verify_rollups", "schedule": crontab(hour=3, minute=30)},
    # before the working day starts, so whoever is late finds the reminder on arrival
    "appraisal-reminders": {"task": "appraisals.tasks.send_appraisal_reminders", "schedule": crontab(hour=8, minute=0)},
    # just after midnight, so a case effective today is in the history before anyone looks
    "promotion-cases-apply": {"task": "promotions.tasks.apply_due_cases", "schedule": crontab(hour=0, minute=30)},
    # the year-end round on the day HR set: built once (claimed by a conditional update), HR mailed
    "promotion-rounds": {"task": "promotions.tasks.build_candidate_rounds", "schedule": crontab(hour=6, minute=0)},
    # a closed month's reward rules that could not run yet (rollups recalculating, a lost worker, no broker)
    "reward-rules-sweep": {"task": "rewards.tasks.sweep_rule_runs", "schedule": 60.0, "options": {"expires": 50}},
    # just after midnight, the log-ins of whoever leaves today are closed (log-in already refuses them)
    "leavers-access-end": {"task": "teams.tasks.end_leavers_access", "schedule": crontab(hour=0, minute=5)},
}
# A sweep's lease on a month: it covers the moment between taking a month and locking its row for the run (the
# lock, not the lease, keeps others off a live run on PostgreSQL), and a whole month's run on SQLite.
ROLLUP_LEASE_SECONDS = env.int("ROLLUP_LEASE_SECONDS", default=15)
# A failed month is tried again after the base, doubled with each further failure, at most the maximum.
ROLLUP_RETRY_BASE_SECONDS = env.int("ROLLUP_RETRY_BASE_SECONDS", default=60)
ROLLUP_RETRY_MAX_SECONDS = env.int("ROLLUP_RETRY_MAX_SECONDS", default=60 * 60)
ROLLUP_SWEEP_PAUSE_SECONDS = 0.0  # tests only (settings.test): a pause between months, so a crash lands mid-sweep

# The API's rate limits count in this cache. Each process's own memory unless CACHE_URL names a shared one: a
# deployment with several gunicorn workers sets CACHE_URL=redis://…/1, so a limit holds across all of them.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Scripts: a personal token (teams/tokens). First, so a request without credentials gets a 401 naming it.
        "teams.rest.authentication.ApiTokenAuthentication",
        # The browser: its session, with CSRF. No Basic: a second, unthrottled password-guessing route.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["teams.access.IsSalesStaff"],
    # JSON read up to DATA_UPLOAD_MAX_MEMORY_SIZE, nesting too deep refused (salesops.limits).
    "DEFAULT_PARSER_CLASSES": ["salesops.limits.BoundedJSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_PAGINATION_CLASS": "teams.rest.pagination.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend",
                                "teams.rest.filters.ExplicitOrderingFilter"],
    # One error shape for every refusal: {"errors": [{"field", "code", "message"}]} (teams/rest/errors.py).
    "EXCEPTION_HANDLER": "teams.rest.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["teams.rest.throttling.TokenRateThrottle",
                                 "teams.rest.throttling.PerUserRateThrottle"],
    # Per token and per user (all their tokens and their browser together); "N/second|minute|hour|day".
    "DEFAULT_THROTTLE_RATES": {
        "token": env("API_RATE_PER_TOKEN", default="600/minute"),
        "user": env("API_RATE_PER_USER", default="1200/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "teams.rest.schema.SalesOpsSchema",
}

# The OpenAPI schema (/api/v1/schema/) and its docs (/api/v1/docs/): Swagger UI from drf-spectacular-sidecar's
# files, its start-up script a file of its own (SpectacularSwaggerSplitView), so no CDN and no inline script.
SPECTACULAR_SETTINGS = {
    "TITLE": "SalesOps API",
    "DESCRIPTION": "Version 1. Errors: {\"errors\": [{\"field\", \"code\", \"message\"}]}; see README, API.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["teams.access.IsSalesStaff"],  # signed-in staff only, like every other endpoint
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # choice sets that two apps' fields share a name for ("state", "action"), named once
    "ENUM_NAME_OVERRIDES": {
        "AppraisalStepEnum": "appraisals.models.Step",
        "AppraisalActionEnum": "appraisals.serializers.ACTIONS",
        "RatingLevelEnum": "appraisals.models.Level",
        "CaseStateEnum": "promotions.models.CaseState",
        "CaseActionEnum": "promotions.serializers.ACTIONS",
        "CaseKindEnum": "promotions.models.CaseKind",
        "FreshnessStateEnum": "kpis.results.serializers.FRESHNESS_STATES",
        "RecordActionEnum": "rewards.services.records.ACTIONS",
        "RecordKindEnum": "rewards.models.Kind",
        "NoticeActionEnum": "rewards.forms.board.NOTICE_ACTS",
        "RuleMethodEnum": "rewards.serializers.rules.METHODS",
        "RankingPeriodEnum": "rewards.serializers.rules.PERIODS",
    },
}

# django-import-export: importing in the admin needs the model's change permission, exporting its view
# permission (unset, any staff user could do both).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# Pins "today" (YYYY-MM-DD); `make run` sets it to 2017-10-31 so the demo year is in progress.
AS_OF_DATE = date.fromisoformat(env("AS_OF_DATE")) if env("AS_OF_DATE", default="") else None

# Password the demo loader gives every demo log-in; only the demo uses it.
DEMO_PASSWORD = env("DEMO_PASSWORD", default="salesops2017")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"celery.app.trace": {"level": "WARNING"}},  # one line per task is noise in `make run`
}

# --- Weekly figures spreadsheet import (checked in kpis/resources.py) ---
# An upload larger than this is refused before it is read; an XLSX (a zip) may unzip to at most the second
# figure, so a zip bomb is refused unopened; a file with more data rows than the third is refused after parsing
# (a year of 60 reps is about 3,100 rows).
FIGURES_IMPORT_MAX_BYTES = env.int("FIGURES_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
FIGURES_IMPORT_MAX_UNZIPPED_BYTES = env.int("FIGURES_IMPORT_MAX_UNZIPPED_BYTES", default=40 * 1024 * 1024)
FIGURES_IMPORT_MAX_ROWS = env.int("FIGURES_IMPORT_MAX_ROWS", default=5000)
# Columns read from a sheet: the figures use 11; a cell further right holding anything but blanks is refused.
FIGURES_IMPORT_MAX_COLUMNS = env.int("FIGURES_IMPORT_MAX_COLUMNS", default=64)
# The largest request body outside file uploads (a week of a big team in JSON is about 30 KB).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)

# Mail (the appraisal reminders): printed to the console unless a deployment names its backend (SMTP: EMAIL_HOST…).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="salesops@localhost")

# Rewards and penalties (docs/rewards.md): cash above this many CNY also needs HR's approval; a cash amount above
# the ceiling is refused as a typing error rather than recorded.
REWARDS_HR_CASH_ABOVE = env.int("REWARDS_HR_CASH_ABOVE", default=5000)
REWARDS_CASH_CEILING = env.int("REWARDS_CASH_CEILING", default=200000)
