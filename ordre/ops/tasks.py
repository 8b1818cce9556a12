from celery import shared_task


@shared_task(name="ops.ping", acks_late=False, ignore_result=False)
def ping() -> str:
    """Answer "pong": the readiness check proves through it that a worker consumes the queue."""
    return "pong"
