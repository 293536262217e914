from django.urls import path

from gongkai.engagement.views import public

app_name = "engagement"
urlpatterns = [
    path("", public.index, name="index"),
    path("ask/", public.ask, name="ask"),
    path("ask/done/", public.done, name="done"),
    path("follow/", public.follow, name="follow"),
    path("follow/rate/", public.rate, name="rate"),
    path("answers/", public.answers, name="answers"),
    path("answers/<str:number>/", public.answer, name="answer"),
    path("events/", public.events, name="events"),
    path("events/<int:pk>/", public.event, name="event"),
    path("events/<int:pk>/ask/", public.event_ask, name="event_ask"),
    path("proposals/", public.proposals, name="proposals"),
    path("proposals/<int:pk>/", public.proposal, name="proposal"),
]
