"""gunicorn settings: with several workers, Prometheus counters live in files shared
by the workers (`PROMETHEUS_MULTIPROC_DIR`), emptied when the master starts; a dead
worker's live gauges are dropped."""

import os
import shutil


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
