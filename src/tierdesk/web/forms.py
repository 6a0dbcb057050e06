"""Web forms: they check the shape of what people type; the ticket actions decide the rest
and their refusals come back as form errors."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tierdesk.tickets.actions.common import (
    MAX_HANDOFF_TEXT_LENGTH,
    MAX_SUBJECT_LENGTH,
    MAX_TEXT_LENGTH,
)
from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import Level

TEXTAREA = forms.Textarea(attrs={"rows": 4})
SHORT_TEXTAREA = forms.Textarea(attrs={"rows": 2})
HANDOFF = MAX_HANDOFF_TEXT_LENGTH


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=MAX_TEXT_LENGTH, widget=TEXTAREA)


class AssignForm(forms.Form):
    assignee = forms.CharField(label=_("Agent"), max_length=150, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    note = forms.CharField(
        label=_("Internal note (optional)"),
        max_length=MAX_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EscalateForm(forms.Form):
    """Reason, steps and findings are not required here: the escalation action refuses an
    incomplete handoff with its own, more specific message."""

    to_tier = forms.IntegerField(label=_("To tier"), min_value=0, max_value=32767)
    team = forms.CharField(label=_("Team"), max_length=60, required=False)
    reason = forms.CharField(
        label=_("Why escalate?"), max_length=HANDOFF, widget=SHORT_TEXTAREA, required=False
    )
    tried = forms.CharField(
        label=_("Steps already tried (one per line)"),
        max_length=HANDOFF,
        widget=TEXTAREA,
        required=False,
    )
    findings = forms.CharField(
        label=_("What did you find?"), max_length=HANDOFF, widget=TEXTAREA, required=False
    )

    def steps(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["tried"].splitlines() if line.strip()]


class DeescalateForm(forms.Form):
    to_tier = forms.IntegerField(label=_("To tier"), min_value=0, max_value=32767)
    team = forms.CharField(label=_("Team"), max_length=60, required=False)
    instructions = forms.CharField(
        label=_("Instructions for the lower tier"),
        max_length=MAX_HANDOFF_TEXT_LENGTH,
        widget=TEXTAREA,
    )


class TransferForm(forms.Form):
    team = forms.CharField(label=_("Team"), max_length=60)
    note = forms.CharField(
        label=_("Note for the team"),
        max_length=MAX_HANDOFF_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How was it resolved?"), max_length=MAX_TEXT_LENGTH, widget=TEXTAREA
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"),
        max_length=MAX_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# Impact and urgency in the words a customer uses.
IMPACT_CHOICES = [
    (Level.LOW, _("Only me")),
    (Level.MEDIUM, _("My team or department")),
    (Level.HIGH, _("The whole company or our customers")),
]
URGENCY_CHOICES = [
    (Level.LOW, _("It can wait")),
    (Level.MEDIUM, _("It slows my work down")),
    (Level.HIGH, _("My work has stopped")),
]


class OrganizationForm(forms.Form):
    organization = forms.SlugField(label=_("Organization"), max_length=60)
    requester = forms.CharField(
        label=_("Requester"),
        max_length=150,
        required=False,
        help_text=_("Username of a person of that organization; empty: keep."),
    )


class NewTicketForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT_LENGTH)
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, since when, and any error message you saw."),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    impact = forms.ChoiceField(
        label=_("Who is affected?"),
        choices=IMPACT_CHOICES,
        initial=Level.LOW,
        widget=forms.RadioSelect,
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=URGENCY_CHOICES,
        initial=Level.MEDIUM,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, categories=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("I don't know"))] + [
            (category.slug, category.name) for category in categories
        ]
