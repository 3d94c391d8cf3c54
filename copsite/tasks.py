from celery import shared_task

from copsite.digest import digests_send


@shared_task(ignore_result=True)
def digest_send() -> dict:
    """Monthly (beat): the digest, once per person and month."""
    return digests_send()
