from django import forms
from django.utils.translation import gettext_lazy as _


class AppealForm(forms.Form):
    """SZB-17: the streamer's appeal."""

    reason = forms.CharField(
        label=_("Why the claim should not stand"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
