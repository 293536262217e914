"""Settings of the real worker started by test_jobs_worker.py: the project's, plus slow test jobs."""

from gongkai.settings import *  # noqa: F403
from gongkai.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "gongkai.core.tests.worker_app"]
