"""Forms of the merchant's after-sales pages (claims answer, 本地退货 receipt, RF-4 reports)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ClaimKind, ClaimStatus


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class MerchantResponseForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Your answer"),
        choices=[("1", _("Accept the claim")), ("0", _("Refuse the claim"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note to the buyer"), required=False, max_length=2000, widget=forms.Textarea)

    def clean(self):
        data = super().clean()
        if data.get("accept") is False and not (data.get("note") or "").strip():
            self.add_error("note", _("Tell the buyer why you refuse; they may ask the platform to step in."))
        return data


class ReturnReceivedForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Waiting for my answer")), ("all", _("All")), *list(ClaimStatus.choices)],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *list(ClaimKind.choices)])
    q = forms.CharField(label=_("Order"), required=False, max_length=64)


class AbuseReportForm(forms.Form):
    consumer = forms.CharField(label=_("Buyer code"), max_length=64)
    reason = forms.CharField(label=_("What happened"), max_length=4000, widget=forms.Textarea)
    evidence = MultipleImageField(
        label=_("Evidence images (screenshots, waybills)"),
        required=False,
        help_text=_("JPEG, PNG or WebP; at least one."),
    )
