from django.urls import path

from . import views

urlpatterns = [
    path("rights/", views.rights_centre, name="trust-rights"),
    path("rights/services/<str:code>/toggle/", views.service_toggle, name="trust-service-toggle"),
    path("rights/return-addresses/", views.return_addresses, name="trust-return-addresses"),
    path("products/", views.product_list, name="trust-products"),
    path("products/export.csv", views.product_export, name="trust-products-export"),
    path("products/bulk-opt-out/", views.product_bulk_opt_out, name="trust-products-bulk"),
    path("products/<str:code>/", views.product_detail, name="trust-product"),
    path("live/", views.live_sessions, name="trust-live"),
    path("live/trust-only/", views.live_trust_only, name="trust-live-trust-only"),
    path("live/cart/add/", views.live_cart_add, name="trust-live-cart-add"),
    path("live/cart/remove/", views.live_cart_remove, name="trust-live-cart-remove"),
]
