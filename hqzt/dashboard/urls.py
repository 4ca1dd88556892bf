from django.urls import path

from hqzt.dashboard import stats_views, views

app_name = "dashboard"
urlpatterns = [
    path("home/", views.home, name="home"),
    path("stats/", stats_views.stats, name="stats"),
    path("stats/stations/", stats_views.stats_stations, name="stats_stations"),
    path("stats/stations.xlsx", stats_views.stats_xlsx, name="stats_xlsx"),
]
