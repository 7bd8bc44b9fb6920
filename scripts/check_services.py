"""Stop `make test` early, in one line, when PostgreSQL or Redis cannot be reached."""

import os
import sys

import psycopg2
import redis

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@localhost:5432/postgres")
REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/15")
HINT = "start it (`docker compose up -d db redis`, or the commands in .ci/run) or set {var}"


def main() -> int:
    try:
        # Connect to the server's maintenance database: the test database is created by pytest.
        psycopg2.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except psycopg2.Error as error:
        first = str(error).strip().splitlines()[0]
        print(f"PostgreSQL is not reachable at {DATABASE_URL} ({first}): " + HINT.format(var="DATABASE_URL"))
        return 1
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        print(f"Redis is not reachable at {REDIS_URL} ({error}): " + HINT.format(var="REDIS_URL"))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
