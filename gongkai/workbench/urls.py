from django.urls import path

from gongkai.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
