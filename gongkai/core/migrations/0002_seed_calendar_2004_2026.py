"""Seed the workday calendar for 2004–2026 from chinese-calendar (holidays and make-up days)."""

import datetime as dt

from django.db import migrations


def seed(apps, schema_editor):
    import chinese_calendar

    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    version = getattr(chinese_calendar, "__version__", "1.11")
    source = f"chinese-calendar {version} (国务院办公厅节假日安排)"
    chinese_names = {h.value: h.chinese for h in chinese_calendar.Holiday}
    days = []
    years = []
    for year in range(2004, 2027):
        day = dt.date(year, 1, 1)
        while day.year == year:
            workday = chinese_calendar.is_workday(day)
            _on_holiday, name = chinese_calendar.get_holiday_detail(day)
            label = chinese_names.get(name, name or "")
            if workday and day.weekday() >= 5:
                label = f"{label}调休上班" if label else "调休上班"
            days.append(CalendarDay(date=day, is_workday=workday, name=label[:60], source=source))
            day += dt.timedelta(days=1)
        years.append(CalendarYear(year=year, source=source))
    CalendarYear.objects.bulk_create(years, ignore_conflicts=True)
    CalendarDay.objects.bulk_create(days, batch_size=2000, ignore_conflicts=True)


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(date__year__lte=2026).delete()
    apps.get_model("core", "CalendarYear").objects.filter(year__lte=2026).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
