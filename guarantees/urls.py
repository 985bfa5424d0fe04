from .urls_szb import urlpatterns as szb_urls
from .urls_trust import urlpatterns as trust_urls

urlpatterns = [*trust_urls, *szb_urls]
