"""Forms of the streamer's 实在宝 page (SZB-2/SZB-3) and the kick-rules page (KG)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class OpenForm(forms.Form):
    """立即开通: the agreement checkbox is required (SZB-3)."""

    agree = forms.BooleanField(
        label="我已阅读并同意《实在宝服务开通协议》",
        required=True,
        error_messages={"required": _("Please read the agreement and tick 「我已阅读并同意《实在宝服务开通协议》」.")},
    )
    agreement_version = forms.CharField(widget=forms.HiddenInput, max_length=32)


class RequestForm(forms.Form):
    """Ask to open 实在宝 when not invited or not eligible (SZB-2)."""

    message = forms.CharField(
        label=_("Why you would like to open 实在宝"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    contact = forms.CharField(label=_("How we can reach you (phone / WeChat)"), max_length=120, required=False)


class KickCheckForm(forms.Form):
    """Remove a user from one of the streamer's live rooms (KG-1…KG-3)."""

    session = forms.ChoiceField(label=_("Live session"))
    consumer = forms.CharField(label=_("User (consumer code)"), max_length=64)

    def __init__(self, *args, sessions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [(s.code, s.code) for s in sessions]
