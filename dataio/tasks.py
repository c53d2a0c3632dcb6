"""Background tasks (django-tasks with the database queue; worker: `manage.py db_worker`).

Tasks are thin: they call a service function, so the same work can be run and tested
without the queue.
"""

from django_tasks import task

from dataio.services import import_job_run


@task()
def run_import_job(job_id: int) -> str:
    return import_job_run(job_id=job_id)
