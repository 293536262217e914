"""Staff pages of disclosure on request, under /workbench/requests/."""

from django.urls import path

from gongkai.inforequests.views import staff, staff_fees, staff_letters, staff_queue, staff_reports

app_name = "inforequests_staff"
urlpatterns = [
    path("", staff_queue.queue, name="queue"),
    path("new/", staff_queue.register, name="register"),
    path("stats/", staff_reports.stats_page, name="stats"),
    path("proactive/", staff_reports.proactive, name="proactive"),
    path("letters/", staff_letters.templates_list, name="letter_templates"),
    path("letters/<str:rules>/<str:key>/", staff_letters.template_edit, name="letter_template"),
    path("letters/<str:rules>/<str:key>/reset/", staff_letters.template_reset, name="letter_template_reset"),
    path(
        "letters/<str:rules>/<str:key>/preview.pdf",
        staff_letters.template_preview,
        name="letter_template_preview",
    ),
    path("<int:pk>/letters/<slug:letter>.<slug:fmt>", staff_letters.case_letter, name="letter"),
    path("<int:pk>/", staff.case_detail, name="case"),
    path("<int:pk>/<slug:name>/", staff.case_action, name="action"),
    path("<int:pk>/fees/<slug:name>/", staff_fees.fee_action, name="fee_action"),
]
