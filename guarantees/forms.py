"""Merchant / streamer forms of 权益中心 and 信任购 pages (validation only; services decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.constants import Region

from .serializers import SHOP_SERVICE_CHOICES


class ServiceToggleForm(forms.Form):
    enabled = forms.TypedChoiceField(
        choices=[("1", _("On")), ("0", _("Off"))], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReturnAddressForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices)
    name = forms.CharField(label=_("Recipient"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    address = forms.CharField(label=_("Address"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class BulkOptOutForm(forms.Form):
    products = forms.CharField(widget=forms.HiddenInput, required=False)
    service = forms.ChoiceField(label=_("Service"), choices=SHOP_SERVICE_CHOICES)
    action = forms.ChoiceField(label=_("Action"), choices=[("out", _("Opt out")), ("in", _("Opt back in"))])


class ProductOptOutForm(forms.Form):
    opt_outs = forms.MultipleChoiceField(
        label=_("Services this product opts out of"),
        choices=SHOP_SERVICE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class TrustOnlyForm(forms.Form):
    session = forms.CharField(max_length=64, widget=forms.HiddenInput)
    trust_only = forms.TypedChoiceField(
        choices=[("1", _("On")), ("0", _("Off"))], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )


class CartAddForm(forms.Form):
    session = forms.CharField(max_length=64, widget=forms.HiddenInput)
    product = forms.CharField(label=_("Product code"), max_length=64)
