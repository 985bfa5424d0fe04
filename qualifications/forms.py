"""Merchant page forms. A qualification type's declared fields become a form at runtime."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.models import Category

from .constants import FieldKind, QualificationStatus
from .fields import declared_fields
from .models import QualificationType

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


def qualification_form(qtype: QualificationType, *, editing: bool = False) -> type[forms.Form]:
    """A form with one input per declared field; image fields are file inputs (on an edit they
    may be left empty to keep the current image)."""
    attrs: dict[str, Any] = {}
    for f in declared_fields(qtype):
        label = f.display
        required = f.required and not (editing and f.kind == FieldKind.IMAGE)
        if f.kind == FieldKind.TEXT:
            field: forms.Field = forms.CharField(label=label, required=required, max_length=500)
        elif f.kind == FieldKind.NUMBER:
            field = forms.DecimalField(label=label, required=required, max_digits=20, decimal_places=6)
        elif f.kind == FieldKind.DATE:
            field = forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}))
            if f.validity_end:
                field.help_text = _("Validity end date: the qualification expires after this day.")
        else:
            field = forms.ImageField(
                label=label,
                required=required,
                widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT, "data-preview": "1"}),
            )
            if editing:
                field.help_text = _("Leave empty to keep the current image.")
        attrs[f.name] = field
    attrs["extra_images"] = forms.ImageField(
        label=_("Extra images"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT, "data-preview": "1"}),
    )
    if editing:
        attrs["confirm_impact"] = forms.BooleanField(
            label=_("I have seen the linked products this edit affects"), required=False
        )
    return type("QualificationValuesForm", (forms.Form,), attrs)


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *list(QualificationStatus.choices)]
    )
    type = forms.ChoiceField(label=_("Type"), required=False)
    expires_before = forms.DateField(
        label=_("Expiring before"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All"))] + [
            (t.code, t.name) for t in QualificationType.objects.filter(active=True).order_by("code")
        ]


class PublishForm(forms.Form):
    """QL-3 product publish page: the product itself; qualifications are picked alongside."""

    code = forms.RegexField(label=_("Product code"), regex=r"^[\w\-]{1,64}$", max_length=64)
    title = forms.CharField(label=_("Title"), max_length=300)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.order_by("code"))
    price = forms.DecimalField(label=_("Price"), min_value=0, max_digits=14, decimal_places=2)
