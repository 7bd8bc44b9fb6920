"""gunicorn in production (Dockerfile and docker-compose.yml read this file).

A request that runs past `timeout` has its worker killed and restarted, so no request can hold a worker for good
(the parsers are bounded as well: teams/inputs.py, kpis/uploads.py, salesops/limits.py). The request-line and
header limits refuse oversized requests before Django sees them.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # seconds; an import of 5,000 rows takes about 2
graceful_timeout = 10
keepalive = 5
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# Recycle workers now and then, so a slow leak in any library cannot grow without bound.
max_requests = 1000
max_requests_jitter = 100
