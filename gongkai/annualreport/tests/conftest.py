import io

import pytest

from gongkai.annualreport.tests import fakes

SEED = {**fakes.SEED_2015, **fakes.table_3_values()}


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PUBLIC_CACHE_SECONDS = 0


@pytest.fixture
def office_editor(departments):
    from conftest import _staff

    return _staff("office_editor", "何指挥", departments["office"], ["editor"])


@pytest.fixture
def second_reviewer(departments):
    from conftest import _staff

    return _staff("reviewer2", "刘公开", departments["office"], ["reviewer"])


@pytest.fixture
def seed_registry():
    return fakes.registry(SEED)


def tiny_pdf(doc, **_options) -> bytes:
    """A real one-page PDF (the catalog checks an attachment's content), for tests that publish
    without the exports' layout."""
    from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, f"annual report {doc.year}")
    page.save()
    return out.getvalue()


@pytest.fixture
def pdf_stub(monkeypatch):
    from gongkai.annualreport import publishing

    monkeypatch.setattr(publishing, "render_pdf", tiny_pdf)
