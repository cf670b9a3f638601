"""WTForms for the tablet marking form and the chief expert's decisions.

The marking form is built per criterion from the scheme: each aspect's kind
(:mod:`competition.scoring.kinds`) names the widget that takes its entry — ``choices``, a
radio field of the kind's choices, or ``counter``, a whole number from 0 to the kind's
limit, or ``keypad``, a number on a fine judging scale (checked against the scale by
``record_mark``, so a wrong one gets the scale's message) — and nothing here depends on which
kind it is. Every aspect carries the version of
the mark the judge saw (``base_version``) and an idempotency key generated when the form was
drawn, so sending the same form twice records nothing new.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional, Regexp

from competition.scoring.kinds import CHOICES, COUNTER, KEYPAD, AspectKind, kind_of
from competition.scoring.model import Aspect


def field_name(aspect: Aspect) -> str:
    return "a_" + re.sub(r"[^A-Za-z0-9]", "_", aspect.id)


VERSION = Regexp(r"^[0-9]{1,9}$", message=_l("the version of the mark this form was drawn with is not a whole number; reload the page"))


def version_field(field) -> int | None:
    """The ``*_base`` field's version (validated by :data:`VERSION`), None when empty."""
    return int(field.data) if field.data else None


def form_errors(form: FlaskForm, aspects: list[Aspect]) -> dict[str, str]:
    """The form's validation messages per aspect id (a field and its hidden companions)."""
    errors: dict[str, str] = {}
    for aspect in aspects:
        name = field_name(aspect)
        found = [m for key in (name, name + "_base", name + "_key") for m in form.errors.get(key, ())]
        if found:
            errors[aspect.id] = str(_l("; ")).join(str(m) for m in found)
    return errors


def _field_choices(kind: AspectKind, aspect: Aspect) -> list:
    """The aspect's choices as WTForms wants them (SelectChoice from WTForms 3.3; tuples before)."""
    pairs = [(c.value, c.label) for c in kind.choices(aspect)]
    try:
        from wtforms.fields.choices import SelectChoice
    except ImportError:
        return pairs
    return [SelectChoice(value, label) for value, label in pairs]


def _choices_field(kind: AspectKind, aspect: Aspect) -> UnboundField:
    return RadioField(aspect.id, choices=_field_choices(kind, aspect), validators=[Optional()], validate_choice=True)


def _counter_field(kind: AspectKind, aspect: Aspect) -> UnboundField:
    return IntegerField(aspect.id, validators=[Optional(), NumberRange(0, kind.limit(aspect))])


def _keypad_field(kind: AspectKind, aspect: Aspect) -> UnboundField:
    return StringField(aspect.id, validators=[Optional(), Length(max=20)], filters=[lambda v: v.strip() if isinstance(v, str) else v])


WIDGET_FIELDS: dict[str, Callable[[AspectKind, Aspect], UnboundField]] = {
    CHOICES: _choices_field, COUNTER: _counter_field, KEYPAD: _keypad_field,
}


def marking_form(aspects: list[Aspect], current: dict[str, dict]) -> FlaskForm:
    """A form for ``aspects``; ``current`` is the judge's view per aspect (value, version).

    A stored value pre-selects its choice as text: both are written by
    :func:`competition.scoring.numbers.plain` (a stored 1.50 is "1.5", as the step is)."""

    class MarkingForm(FlaskForm):
        pass

    for aspect in aspects:
        name = field_name(aspect)
        kind = kind_of(aspect)
        setattr(MarkingForm, name, WIDGET_FIELDS[kind.widget_of(aspect)](kind, aspect))
        setattr(MarkingForm, name + "_base", HiddenField(default=str(current[aspect.id]["version"]), validators=[Optional(), VERSION]))
        setattr(MarkingForm, name + "_key", HiddenField(default=lambda: str(uuid.uuid4()), validators=[Optional(), Length(max=80)]))
    form = MarkingForm()
    if not form.is_submitted():
        for aspect in aspects:
            value = current[aspect.id]["value"]
            if value is not None:
                form[field_name(aspect)].process_data(value)
    return form


class SignOffForm(FlaskForm):
    pass


class UnlockForm(FlaskForm):
    reason = TextAreaField(_l("Reason for unlocking"), validators=[DataRequired(), Length(min=5, max=1000)])


class OverrideForm(FlaskForm):
    aspect = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Why the marks stand"), validators=[DataRequired(), Length(min=10, max=1000)])


class DiscussionForm(FlaskForm):
    aspect = HiddenField(validators=[DataRequired()])
    open = HiddenField(validators=[DataRequired()])


class WindowForm(FlaskForm):
    kind = StringField(validators=[DataRequired(), AnyOf(["skill", "criterion", "day", "descriptors"])])
    key = StringField(validators=[Optional(), Length(max=40)])
    open = HiddenField(validators=[DataRequired()])
