"""/apply/: the public side of disclosure on request."""

from django.urls import path

from gongkai.inforequests.views import public

app_name = "inforequests"
urlpatterns = [
    path("", public.apply, name="apply"),
    path("done/", public.done, name="done"),
    path("status/", public.status, name="status"),
    path("receipt/<str:tracking_number>/", public.receipt, name="receipt"),
    path("status/<str:tracking_number>/", public.status_result, name="status_result"),
    path("status/<str:tracking_number>/reply.pdf", public.reply_letter, name="reply_letter"),
]
