"""Staff pages of disclosure on request, under /workbench/requests/."""

from django.urls import path

from gongkai.inforequests.views import staff, staff_fees

app_name = "inforequests_staff"
urlpatterns = [
    path("", staff.queue, name="queue"),
    path("new/", staff.register, name="register"),
    path("stats/", staff.stats_page, name="stats"),
    path("proactive/", staff.proactive, name="proactive"),
    path("<int:pk>/", staff.case_detail, name="case"),
    path("<int:pk>/<slug:name>/", staff.case_action, name="action"),
    path("<int:pk>/fees/<slug:name>/", staff_fees.fee_action, name="fee_action"),
]
