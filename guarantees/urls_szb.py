from django.urls import path

from . import views_szb

urlpatterns = [
    path("rights/shizaibao/", views_szb.shizaibao_page, name="szb-page"),
    path("rights/shizaibao/request/", views_szb.shizaibao_request, name="szb-request"),
    path("live/kick-rules/", views_szb.kick_rules_page, name="kick-rules"),
]
