"""``db_worker`` with the scheduler thread: the job worker that also queues scheduled jobs."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorker


class Command(DbWorker):
    help = "Run the job worker and the scheduler (scheduled jobs such as list fetches)."

    def handle(self, *args: Any, **options: Any) -> None:
        from econsec.web.scheduler import start

        start()
        super().handle(*args, **options)
