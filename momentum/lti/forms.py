"""The studio's platform registration form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from momentum.lti.models import LtiPlatform


class PlatformForm(forms.ModelForm):  # type: ignore[type-arg]
    deployment_ids = forms.CharField(
        label=_("Deployment IDs"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        help_text=_("One per line, as the platform shows them. A launch from any other deployment is refused."),
        error_messages={"required": _("Give at least one deployment ID.")},
    )  # fmt: skip

    class Meta:
        model = LtiPlatform
        fields = ("name", "issuer", "client_id", "auth_login_url", "auth_token_url", "keyset_url", "auth_audience")
        labels = {
            "name": _("Name"),
            "issuer": _("Issuer (platform ID)"),
            "client_id": _("Client ID"),
            "auth_login_url": _("Authentication request URL"),
            "auth_token_url": _("Access token URL"),
            "keyset_url": _("Public keyset URL"),
            "auth_audience": _("Token audience (optional)"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["deployment_ids"] = "\n".join(d.deployment_id for d in self.instance.deployments.all())

    def clean_issuer(self) -> str:
        issuer = str(self.cleaned_data["issuer"]).strip()
        if not issuer.startswith(("https://", "http://")):
            raise forms.ValidationError(_("The issuer is the platform's https:// address."))
        return issuer

    def clean_deployment_ids(self) -> list[str]:
        ids = [line.strip() for line in str(self.cleaned_data["deployment_ids"]).splitlines() if line.strip()]
        if not ids:
            raise forms.ValidationError(_("Give at least one deployment ID."))
        if any(len(i) > 255 for i in ids):
            raise forms.ValidationError(_("A deployment ID has at most 255 characters."))
        return ids
