"""The reminder job as a background task: the same on the database backend (default) and on
Redis (TASKS_BACKEND=rq); `dvk send_reminders --enqueue` puts it on the queue."""
from django_tasks import task


@task()
def send_reminders(today: str | None = None) -> dict:
    import datetime as dt

    from .services import run_reminders

    outcome = run_reminders(dt.date.fromisoformat(today) if today else None)
    return {"sent": outcome.sent, "emailed": outcome.emailed}
