from django.urls import URLPattern, URLResolver, path

import gongkai.annualreport.views.public as public

app_name = "annualreport"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.index, name="index"),
    path("<int:year>/", public.report, name="report"),
    path("<int:year>/report.pdf", public.report_pdf, name="pdf"),
]
