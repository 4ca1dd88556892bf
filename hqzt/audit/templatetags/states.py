"""`{{ obj|status_tone }}`: the badge tone of an object's state, as its machine declares it
(hqzt.audit.statemachine.Machine.tones), so templates never switch on raw status strings."""

from django import template
from django.db import models

from hqzt.audit.statemachine import machine_for

register = template.Library()


@register.filter
def status_tone(obj: models.Model) -> str:
    if not isinstance(obj, models.Model):
        return "secondary"
    try:
        machine = machine_for(type(obj))
    except KeyError:  # a model without a state machine
        return "secondary"
    return machine.tone_of(getattr(obj, machine.field))
