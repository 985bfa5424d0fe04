from django.urls import path

from . import api_szb

urlpatterns = [
    path("streamer/shizaibao", api_szb.ShizaibaoView.as_view(), name="api-szb"),
    path("streamer/shizaibao/open", api_szb.ShizaibaoOpenView.as_view(), name="api-szb-open"),
    path("streamer/shizaibao/requests", api_szb.ShizaibaoRequestView.as_view(), name="api-szb-request"),
    path("streamer/kick-rules", api_szb.KickRulesView.as_view(), name="api-kick-rules"),
    path("streamer/live-sessions/<str:code>/kick", api_szb.KickView.as_view(), name="api-kick"),
    path("review/streamers/<str:code>/invite", api_szb.ReviewInviteView.as_view(), name="api-szb-invite"),
]
