from django.urls import path

from gongkai.pressroom.views import public

app_name = "pressroom"
urlpatterns = [
    path("", public.index, name="index"),
    path("c/<int:pk>/", public.conference, name="conference"),
    path("interpretations/", public.interpretations, name="interpretations"),
    path("interpretations/<int:pk>/", public.interpretation, name="interpretation"),
]
