"""`gongkai report check` on the seed finds the period mismatch and confirms its sums and rates;
`gongkai report annual` writes a report file of a year from the figures."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seed" / "000_07b19879f036b61c.txt"


@pytest.mark.skipif(not SEED.exists(), reason="the seed report is outside the project")
def test_check_reports_the_seeds_period_and_confirms_its_figures(capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("report", "check", str(SEED), "--json")
    assert exit_.value.code == 1  # the period 2014-01-01 to 2015-12-31 is an error
    data = json.loads(capsys.readouterr().out)
    text = json.dumps(data, ensure_ascii=False)
    assert "2014" in text and "20" in text and "80" in text and "35.7" in text


def test_check_refuses_a_missing_file():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("report", "check", "/nonexistent/report.pdf")


@pytest.mark.django_db
def test_annual_writes_the_json_of_a_year(tmp_path):
    out = tmp_path / "2015.json"
    call_command("report", "annual", "--year", "2015", "--format", "json", "--out", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["document"]["year"] == 2015 and data["document"]["sections"]
    assert data["cells"] is not None and "text_figures" in data
