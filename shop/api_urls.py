from django.urls import path

from . import api

urlpatterns = [
    path("auth/token", api.TokenView.as_view(), name="api-token"),
    path("platform/sync", api.SyncView.as_view(), name="api-platform-sync"),
    path("platform/orders/<str:code>/events", api.OrderEventView.as_view(), name="api-order-events"),
    path("orders/<str:code>", api.OrderDetailView.as_view(), name="api-order-detail"),
    path("uploads", api.UploadView.as_view(), name="api-uploads"),
    path("notifications", api.NotificationListView.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read", api.NotificationReadView.as_view(), name="api-notification-read"),
    path("ping", api.PingView.as_view(), name="api-ping"),
]
