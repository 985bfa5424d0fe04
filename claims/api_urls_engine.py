from django.urls import path

from . import api

urlpatterns = [
    path("claims", api.ClaimListView.as_view(), name="api-claims"),
    path("claims/<int:pk>", api.ClaimDetailView.as_view(), name="api-claim-detail"),
    path("claims/<int:pk>/merchant-response", api.MerchantResponseView.as_view(), name="api-claim-merchant-response"),
    path("claims/<int:pk>/escalate", api.EscalateView.as_view(), name="api-claim-escalate"),
    path("claims/<int:pk>/appeal", api.AppealView.as_view(), name="api-claim-appeal"),
    path("review/claims/<int:pk>/decision", api.ClaimDecisionView.as_view(), name="api-review-claim-decision"),
    path("review/appeals/<int:pk>/decision", api.AppealDecisionView.as_view(), name="api-review-appeal-decision"),
    path("platform/streamers/<str:code>/funds", api.StreamerFundView.as_view(), name="api-streamer-funds"),
    path("platform/shops/<str:code>/funds", api.ShopFundView.as_view(), name="api-shop-funds"),
    path("streamer/account", api.StreamerAccountView.as_view(), name="api-streamer-account"),
    path("shop/account", api.ShopAccountView.as_view(), name="api-shop-account"),
    path("consumer/wallet", api.WalletView.as_view(), name="api-consumer-wallet"),
]
