from django.urls import URLPattern, URLResolver

app_name = "annualreport_staff"
urlpatterns: list[URLPattern | URLResolver] = []
