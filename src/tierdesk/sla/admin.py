"""Calendars and policies are business settings, edited here. A calendar without working
hours, overlapping hours, a target of zero minutes or an unknown time zone is refused when
saved, with a message that says what to fix. Saving a policy or calendar asks the background
worker to recompute the due times of the open tickets it applies to."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from tierdesk.sla.actions import request_recalculation
from tierdesk.sla.models import (
    Calendar,
    ClosedDate,
    OrganizationPolicy,
    Policy,
    PolicyTarget,
    TierTarget,
    WorkingInterval,
)
from tierdesk.sla.validation import validate_working_hours


class WorkingIntervalFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        intervals = [
            (form.cleaned_data["weekday"], form.cleaned_data["start"], form.cleaned_data["end"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("weekday") is not None
            and form.cleaned_data.get("start") is not None
            and form.cleaned_data.get("end") is not None
        ]
        try:
            validate_working_hours(intervals, is_24x7=bool(self.instance.is_24x7))
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class WorkingIntervalInline(admin.TabularInline):
    model = WorkingInterval
    formset = WorkingIntervalFormSet
    extra = 1


class ClosedDateInline(admin.TabularInline):
    model = ClosedDate
    extra = 1


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "is_24x7", "holiday_country", "include_joint_leave"]
    search_fields = ["name"]
    inlines = [WorkingIntervalInline, ClosedDateInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if change:  # open tickets on this calendar's policies get new due times
            request_recalculation(
                policy_ids=list(form.instance.policies.values_list("pk", flat=True))
            )


class PolicyTargetInline(admin.TabularInline):
    model = PolicyTarget
    extra = 0


class TierTargetInline(admin.TabularInline):
    model = TierTarget
    extra = 0


class OrganizationPolicyInline(admin.TabularInline):
    model = OrganizationPolicy
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "calendar", "is_default", "warning_fraction"]
    list_select_related = ["calendar"]
    inlines = [PolicyTargetInline, TierTargetInline, OrganizationPolicyInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Open tickets measured by this policy, or of its organizations, get new due times.
        policy = form.instance
        request_recalculation(
            policy_ids=[policy.pk] if change else [],
            organization_ids=list(policy.organizations.values_list("organization_id", flat=True)),
        )
