"""Each app's part of the URL access matrix, one module per app (`tests/url_apps/<app>.py`), so
that apps landing side by side never edit one shared table. A module defines:

- `ROUTES: dict[str, Same | Staff]` — the rule of each of its route names (tests/url_rules.py);
- `build(world) -> None` (optional) — creates its objects through its services into `world.objects`
  (the world's people, departments, published record and application are there already);
- `kwargs(world, name) -> dict | None` (optional) — the URL kwargs of one of its routes (None: not
  its route);
- `fingerprint() -> tuple` (optional) — what a refused POST must leave unchanged in its tables;
- `POST_DATA: dict` (optional) — extra fields of a plausible submission to its routes.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
    ]
