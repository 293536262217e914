"""Settings of the real worker started by test_worker_kill.py: core's worker settings, plus a pause
at one named point (GONGKAI_TEST_PAUSE_AT) so that the test can kill the worker there.

The worker that reaches the point first writes `<DATA_DIR>/paused-<point>` and sleeps; the test
kills it. A later worker finds the file and goes on without pausing."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import AppConfig

from gongkai.core.tests.worker_settings import *  # noqa: F403
from gongkai.core.tests.worker_settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "gongkai.catalog.tests.worker_kill_settings.PausePoints"]

# point name -> (module, function) wrapped so that it pauses before running
POINTS = {
    "import.index": ("gongkai.catalog.search_bulk", "index_prepared"),
    "search.index": ("gongkai.catalog.search", "index_records"),
}


def pause_once(point: str) -> None:
    from django.conf import settings

    marker = Path(settings.DATA_DIR) / f"paused-{point}"
    if marker.exists():
        return
    marker.write_text(str(os.getpid()))
    time.sleep(120)  # killed here


class PausePoints(AppConfig):
    name = "gongkai.catalog.tests"
    label = "catalog_worker_kill"

    def ready(self) -> None:
        import importlib

        point = os.environ.get("GONGKAI_TEST_PAUSE_AT", "")
        if point not in POINTS:
            return
        module_name, attribute = POINTS[point]
        module = importlib.import_module(module_name)
        original: Callable[..., Any] = getattr(module, attribute)

        def paused(*args: Any, **kwargs: Any) -> Any:
            pause_once(point)
            return original(*args, **kwargs)

        setattr(module, attribute, paused)
