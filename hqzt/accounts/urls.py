from django.contrib.auth import views as auth_views
from django.urls import path

from hqzt.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.LoginVerifyView.as_view(), name="login_verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("two-factor/", views.OtpView.as_view(), name="otp"),
    path("two-factor/enrol/", views.OtpEnrolView.as_view(), name="otp_enrol"),
]
