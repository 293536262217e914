"""WSGI entry point for gunicorn."""

import contextlib
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
application = get_wsgi_application()


def _load_letter_fonts() -> None:
    """Load the letters' CJK fonts here, in gunicorn's master (`preload_app`), so the workers share
    them: loaded in each worker on its first letter, they cost every worker ~60 MB (bench/soak.py)."""
    from gongkai.inforequests.letters import pdf

    with contextlib.suppress(pdf.FontMissing):  # then the first letter says so, in its own words
        pdf.fonts()


_load_letter_fonts()
