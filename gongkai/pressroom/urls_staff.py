from django.urls import path

import gongkai.pressroom.views.staff as staff

app_name = "pressroom_staff"
urlpatterns = [
    path("", staff.conference_list, name="list"),
    path("new/", staff.conference_new, name="new"),
    path("interpretations/", staff.interpretation_list, name="interpretations"),
    path("interpretations/new/", staff.interpretation_new, name="interpretation_new"),
    path("interpretations/<int:pk>/", staff.interpretation_detail, name="interpretation"),
    path("interpretations/<int:pk>/edit/", staff.interpretation_edit, name="interpretation_edit"),
    path("interpretations/<int:pk>/<slug:move>/", staff.interpretation_move, name="interpretation_move"),
    path("policies/", staff.uninterpreted, name="uninterpreted"),
    path("stats/", staff.statistics, name="stats"),
    path("<int:pk>/", staff.conference_detail, name="detail"),
    path("<int:pk>/edit/", staff.conference_edit, name="edit"),
    path("<int:pk>/transcript/", staff.transcript_import, name="transcript"),
    path("<int:pk>/<slug:move>/", staff.conference_move, name="move"),
]
