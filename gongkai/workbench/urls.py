from django.urls import include, path

from gongkai.catalog.views import staff as catalog_staff
from gongkai.catalog.views import staff_import
from gongkai.core.views import staff as core_staff
from gongkai.workbench import jobs_views, views

app_name = "workbench"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("records/", catalog_staff.record_list, name="records"),
    path("records/new/", catalog_staff.record_new, name="record_new"),
    path("records/<int:pk>/", catalog_staff.record_detail, name="record"),
    path("records/<int:pk>/edit/", catalog_staff.record_edit, name="record_edit"),
    path("records/<int:pk>/submit/", catalog_staff.record_submit, name="record_submit"),
    path("records/<int:pk>/approve/", catalog_staff.record_approve, name="record_approve"),
    path("records/<int:pk>/return/", catalog_staff.record_return, name="record_return"),
    path("records/<int:pk>/publish/", catalog_staff.record_publish, name="record_publish"),
    path("records/<int:pk>/withdraw/", catalog_staff.record_withdraw, name="record_withdraw"),
    path("records/<int:pk>/validity/", catalog_staff.record_change_validity, name="record_change_validity"),
    path("records/<int:pk>/attachments/", catalog_staff.record_attachment, name="record_attachment"),
    path(
        "records/<int:pk>/attachments/<int:attachment_id>/",
        catalog_staff.record_attachment_download,
        name="record_attachment_download",
    ),
    path("records/<int:pk>/publications/", catalog_staff.record_publication, name="record_publication"),
    path("review/", catalog_staff.review_queue, name="review_queue"),
    path("import/", staff_import.import_records, name="import"),
    path("pages/", catalog_staff.page_list, name="pages"),
    path("pages/<slug:slug>/", catalog_staff.page_edit, name="page_edit"),
    path("calendar/", core_staff.calendar, name="calendar"),
    path("audit/", core_staff.audit_log, name="audit"),
    path("jobs/", jobs_views.job_list, name="jobs"),
    path("jobs/<int:pk>/retry/", jobs_views.job_retry, name="job_retry"),
    path("requests/", include("gongkai.inforequests.urls_staff")),
    path("powers/", include("gongkai.powers.urls_staff")),
    path("press/", include("gongkai.pressroom.urls_staff")),
    path("engagement/", include("gongkai.engagement.urls_staff")),
    path("channels/", include("gongkai.newmedia.urls_staff")),
    path("reports/", include("gongkai.annualreport.urls_staff")),
]
