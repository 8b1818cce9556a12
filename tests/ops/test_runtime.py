"""Service resolution: given URLs win; otherwise embedded servers start and stop."""

import psycopg
import redis

from ordre.runtime import celery_url_for, services


def test_given_urls_are_used_and_nothing_is_started(tmp_path):
    environ = {"DATABASE_URL": "postgres://db.example/ordre", "REDIS_URL": "redis://r.example/1"}
    with services(environ, data_dir=tmp_path) as urls:
        assert urls.database_url == "postgres://db.example/ordre"
        assert urls.redis_url == "redis://r.example/1"
        assert urls.embedded == ()
    assert list(tmp_path.iterdir()) == []


def test_embedded_services_start_persist_and_stop(tmp_path):
    with services({}, data_dir=tmp_path) as urls:
        assert urls.embedded == ("EmbeddedPostgres", "EmbeddedRedis")
        conninfo = urls.database_url.replace("postgres://", "postgresql://")
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("CREATE TABLE kept (v text)")
            conn.execute("INSERT INTO kept VALUES ('still here')")
        client = redis.Redis.from_url(urls.redis_url)
        client.set("kept", "still here")
        redis_socket = client.connection_pool.connection_kwargs["path"]
    # Stopped: the socket no longer answers.
    try:
        redis.Redis(unix_socket_path=redis_socket, socket_connect_timeout=1).ping()
        raise AssertionError("embedded Redis still answers after the context closed")
    except redis.ConnectionError:
        pass
    # Restarted on the same data directory: the data survived.
    with services({}, data_dir=tmp_path) as urls:
        conninfo = urls.database_url.replace("postgres://", "postgresql://")
        with psycopg.connect(conninfo) as conn:
            assert conn.execute("SELECT v FROM kept").fetchone() == ("still here",)
        assert redis.Redis.from_url(urls.redis_url).get("kept") == b"still here"


def test_celery_url_for_unix_socket():
    assert (
        celery_url_for("unix:///x/redis.sock?db=3") == "redis+socket:///x/redis.sock?virtual_host=3"
    )
    assert celery_url_for("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_a_missing_database_is_created_on_a_given_server():
    from django.conf import settings

    from ordre.runtime import ensure_database

    db = settings.DATABASES["default"]
    if (db.get("HOST") or "").startswith("/"):
        base = f"postgres://{db['USER']}@/{{name}}?host={db['HOST']}"
    else:
        base = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{{name}}"
    name = "ordre_runtime_probe"
    admin = base.format(name="postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
    try:
        assert ensure_database(base.format(name=name)) is True
        assert ensure_database(base.format(name=name)) is False
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
