"""Forms of the 巨量星图 pages; they validate input and the views call the same services as the API."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import ContentType, PublishMode, Settlement, VideoDuration


class BankAccountForm(forms.Form):
    company_name = forms.CharField(label=_("Company account name"), max_length=200)
    bank_name = forms.CharField(label=_("Bank and branch"), max_length=200)
    account_number = forms.CharField(label=_("Account number"), max_length=64)


class AmountForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount received (CNY)"), max_digits=8, decimal_places=2, min_value=0)


class AgreementForm(forms.Form):
    agree = forms.BooleanField(label=_("我已阅读并同意《巨量星图平台服务协议》"), required=True)
    agreement_version = forms.CharField(widget=forms.HiddenInput)


class SquareFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    industry = forms.CharField(label=_("Industry"), required=False)
    content_type = forms.ChoiceField(label=_("Content type"), required=False, choices=[("", "—"), *ContentType.choices])
    fans_min = forms.IntegerField(label=_("Fans from"), required=False, min_value=0)
    fans_max = forms.IntegerField(label=_("Fans up to"), required=False, min_value=0)
    score_min = forms.DecimalField(label=_("Score from"), required=False, min_value=0, max_value=5)
    price_max = forms.DecimalField(label=_("Price up to"), required=False, min_value=0)
    duration = forms.ChoiceField(label=_("Video"), required=False, choices=[("", "—"), *VideoDuration.choices])


class TaskForm(forms.Form):
    # 基本信息
    title = forms.CharField(label=_("Task name"), max_length=100)
    brand = forms.CharField(label=_("Brand"), max_length=100, required=False)
    product_name = forms.CharField(label=_("Product promoted"), max_length=200)
    product_link = forms.URLField(label=_("Product link"), required=False)
    publish_from = forms.DateField(label=_("Publish from"), widget=forms.DateInput(attrs={"type": "date"}))
    publish_until = forms.DateField(label=_("Publish until"), widget=forms.DateInput(attrs={"type": "date"}))
    # 任务要求
    video_duration = forms.ChoiceField(label=_("Video duration"), choices=VideoDuration.choices)
    requirements = forms.CharField(label=_("Content requirements"), widget=forms.Textarea(attrs={"rows": 4}))
    # 服务商 / 结算方式
    service_provider = forms.CharField(
        label=_("Service provider"), max_length=200, required=False, help_text=_("Leave empty to run it yourself.")
    )
    settlement = forms.ChoiceField(label=_("Settlement method"), choices=Settlement.choices)
    key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["publish_from"].initial = today
        self.fields["publish_until"].initial = today + timezone.timedelta(days=14)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentsForm(forms.Form):
    comments = forms.CharField(label=_("Comments for the creator"), widget=forms.Textarea(attrs={"rows": 3}))


class ScriptForm(forms.Form):
    text = forms.CharField(label=_("Script"), widget=forms.Textarea(attrs={"rows": 6}))
    link = forms.URLField(label=_("Link to a document (optional)"), required=False)
    cover = forms.ImageField(label=_("Storyboard image (optional)"), required=False)


class VideoForm(forms.Form):
    link = forms.URLField(label=_("Video link"), help_text=_("A share link to the video; files are not uploaded here."))
    text = forms.CharField(label=_("Caption"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    cover = forms.ImageField(label=_("Cover image (optional)"), required=False)


class PublishForm(forms.Form):
    mode = forms.ChoiceField(label=_("When"), choices=PublishMode.choices, widget=forms.RadioSelect)
    at = forms.DateTimeField(
        label=_("Publishing time (Asia/Shanghai)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Stars"), coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)], widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)


class CreatorProfileForm(forms.Form):
    listed = forms.BooleanField(label=_("Show me in the creator square (内容传播达人)"), required=False)
    content_types = forms.MultipleChoiceField(
        label=_("Content types"), choices=ContentType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    price_short = forms.DecimalField(label=_("Price, 1–20 s video"), min_value=0, decimal_places=2, max_digits=12)
    price_long = forms.DecimalField(label=_("Price, 21–60 s video"), min_value=0, decimal_places=2, max_digits=12)
    bio = forms.CharField(
        label=_("Introduction"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
