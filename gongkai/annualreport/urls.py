from django.urls import URLPattern, URLResolver

app_name = "annualreport"
urlpatterns: list[URLPattern | URLResolver] = []
