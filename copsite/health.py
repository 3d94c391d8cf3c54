"""The /healthz probe: is the database answering, is the broker reachable."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from copsite.celery import app as celery_app

BROKER_TIMEOUT_SECONDS = 2


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; the reason goes in the answer
        return f"error: {exc.__class__.__name__}"
    return "ok"


def broker_state() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as exc:  # idem: report, do not raise
        return f"error: {exc.__class__.__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    state = {"database": database_state(), "broker": broker_state()}
    # The web tier can serve pages without the broker (the outbox keeps mail), not without the DB.
    status = 200 if state["database"] == "ok" else 503
    state["status"] = "ok" if status == 200 else "unavailable"
    return JsonResponse(state, status=status)
