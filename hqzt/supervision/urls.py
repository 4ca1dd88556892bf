from django.urls import path

from hqzt.supervision import views

app_name = "supervision"
urlpatterns = [
    path("conformance/", views.conformance, name="conformance"),
    path("conformance/<int:pk>/", views.conformance_station, name="conformance_station"),
]
