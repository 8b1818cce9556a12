"""gunicorn settings: with several workers, Prometheus counters live in files shared
by the workers (`PROMETHEUS_MULTIPROC_DIR`); a dead worker's live gauges are dropped."""


def child_exit(server, worker):
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
