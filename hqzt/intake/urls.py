from django.urls import path

from hqzt.intake import views

app_name = "intake"
urlpatterns = [path("suggest-type/", views.suggest_type, name="suggest_type")]
