from django.urls import path

from gongkai.engagement.views import staff

app_name = "engagement_staff"
urlpatterns = [
    path("", staff.inquiries, name="inquiries"),
    path("inquiries/<int:pk>/", staff.inquiry_detail, name="inquiry"),
    path("inquiries/<int:pk>/<slug:move>/", staff.inquiry_move, name="inquiry_move"),
    path("stats/", staff.statistics, name="stats"),
    path("events/", staff.events, name="events"),
    path("events/new/", staff.event_new, name="event_new"),
    path("events/<int:pk>/", staff.event_detail, name="event"),
    path("events/<int:pk>/edit/", staff.event_edit, name="event_edit"),
    path("events/<int:pk>/<slug:move>/", staff.event_move, name="event_move"),
    path("questions/<int:pk>/<slug:move>/", staff.question_move, name="question_move"),
    path("proposals/", staff.proposals, name="proposals"),
    path("proposals/new/", staff.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", staff.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/<slug:move>/", staff.proposal_move, name="proposal_move"),
]
