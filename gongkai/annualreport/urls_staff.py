from django.urls import URLPattern, URLResolver, path

import gongkai.annualreport.views.checker as checker
import gongkai.annualreport.views.staff as staff

app_name = "annualreport_staff"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff.report_list, name="list"),
    path("figures/<str:code>/", staff.figure_records, name="figure"),
    path("<int:pk>/", staff.report_detail, name="detail"),
    path("<int:pk>/edit/", staff.report_edit, name="edit"),
    path("<int:pk>/download/<slug:fmt>/", staff.report_download, name="download"),
    path("<int:pk>/<slug:move>/", staff.report_move, name="move"),
    # The checker's upload page (annualreport.checker) goes on the line below.
    path("check/", checker.check_report, name="check"),
]
