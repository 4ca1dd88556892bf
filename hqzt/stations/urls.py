from django.urls import path

from hqzt.stations import views

app_name = "stations"
urlpatterns = [
    path("stations/", views.station_list, name="list"),
    path("stations/new/", views.station_create, name="create"),
    path("stations/<int:pk>/", views.station_detail, name="detail"),
    path("stations/<int:pk>/edit/", views.station_edit, name="edit"),
]
