from django.urls import path

from . import api_abuse

urlpatterns: list = [
    path("shop/abuse-reports", api_abuse.ShopAbuseReportsView.as_view(), name="api-shop-abuse-reports"),
    path("shop/abuse-reports/<int:pk>", api_abuse.ShopAbuseReportDetailView.as_view(), name="api-shop-abuse-report"),
    path(
        "review/abuse-reports/<int:pk>/decision",
        api_abuse.ReviewAbuseReportDecisionView.as_view(),
        name="api-review-abuse-decision",
    ),
    path(
        "review/consumers/<str:code>/return-freight",
        api_abuse.ReviewReturnFreightView.as_view(),
        name="api-review-return-freight",
    ),
    path("review/consumers/<str:code>/abuse", api_abuse.ReviewConsumerAbuseView.as_view(), name="api-review-abuse"),
    path("claims/<int:pk>/return-received", api_abuse.ReturnReceivedView.as_view(), name="api-return-received"),
]
