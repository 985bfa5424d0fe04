from django.urls import path

from . import api

urlpatterns = [
    path("shop/services", api.ServiceListView.as_view(), name="api-shop-services"),
    path("shop/services/<str:code>", api.ServiceDetailView.as_view(), name="api-shop-service"),
    path("shop/services/<str:code>/impact", api.ServiceImpactView.as_view(), name="api-shop-service-impact"),
    path("shop/products", api.ProductListView.as_view(), name="api-shop-products"),
    path("shop/product-opt-outs", api.BulkOptOutView.as_view(), name="api-shop-product-opt-outs"),
    path("shop/products/<str:code>", api.ProductDetailView.as_view(), name="api-shop-product"),
    path("shop/trust-badge", api.TrustBadgeView.as_view(), name="api-shop-trust-badge"),
    path("shop/return-addresses", api.ReturnAddressListView.as_view(), name="api-shop-return-addresses"),
    path("shop/return-addresses/<str:region>", api.ReturnAddressView.as_view(), name="api-shop-return-address"),
    path("streamer/live-sessions", api.LiveSessionListView.as_view(), name="api-live-sessions"),
    path("streamer/live-sessions/<str:code>", api.LiveSessionView.as_view(), name="api-live-session"),
    path("streamer/live-sessions/<str:code>/cart", api.CartView.as_view(), name="api-live-cart"),
    path("streamer/live-sessions/<str:code>/cart/<str:product>", api.CartItemView.as_view(), name="api-live-cart-item"),
    path("products/<str:code>", api.PublicProductView.as_view(), name="api-product"),
]
