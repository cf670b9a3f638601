"""WTForms for the tablet marking form and the chief expert's decisions.

The marking form is built per criterion from the scheme: judgement aspects take 0-3 (one
choice per descriptor), binary ones yes (1) / no (0), stepped ones their listed steps and
deduction ones a count. Every aspect carries the version of the mark the judge saw
(``base_version``) and an idempotency key generated when the form was drawn, so sending the
same form twice records nothing new.
"""

from __future__ import annotations

import re
import uuid

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional

from competition.scoring.kinds import COUNTER, kind_of
from competition.scoring.model import Aspect


def field_name(aspect: Aspect) -> str:
    return "a_" + re.sub(r"[^A-Za-z0-9]", "_", aspect.id)


def deduction_limit(aspect: Aspect) -> int:
    return kind_of(aspect).limit(aspect) or 0


def choices_for(aspect: Aspect) -> list[tuple[str, str]]:
    return [(c.value, c.label) for c in kind_of(aspect).choices(aspect)]


def _field_choices(aspect: Aspect) -> list:
    """The aspect's choices as WTForms wants them (SelectChoice from WTForms 3.3; tuples before)."""
    try:
        from wtforms.fields.choices import SelectChoice
    except ImportError:
        return choices_for(aspect)
    return [SelectChoice(value, label) for value, label in choices_for(aspect)]


def marking_form(aspects: list[Aspect], current: dict[str, dict]) -> FlaskForm:
    """A form for ``aspects``; ``current`` is the judge's view per aspect (value, version)."""

    class MarkingForm(FlaskForm):
        pass

    for aspect in aspects:
        name = field_name(aspect)
        if kind_of(aspect).widget == COUNTER:
            field = IntegerField(aspect.id, validators=[Optional(), NumberRange(0, deduction_limit(aspect))])
        else:
            field = RadioField(aspect.id, choices=_field_choices(aspect), validators=[Optional()], validate_choice=True)
        setattr(MarkingForm, name, field)
        setattr(MarkingForm, name + "_base", HiddenField(default=str(current[aspect.id]["version"])))
        setattr(MarkingForm, name + "_key", HiddenField(default=lambda: str(uuid.uuid4())))
    form = MarkingForm()
    if not form.is_submitted():
        for aspect in aspects:
            value = current[aspect.id]["value"]
            if value is not None:
                form[field_name(aspect)].data = int(value) if kind_of(aspect).widget == COUNTER else value
    return form


class SignOffForm(FlaskForm):
    pass


class UnlockForm(FlaskForm):
    reason = TextAreaField("Reason for unlocking", validators=[DataRequired(), Length(min=5, max=1000)])


class OverrideForm(FlaskForm):
    aspect = HiddenField(validators=[DataRequired()])
    reason = TextAreaField("Why the marks stand", validators=[DataRequired(), Length(min=10, max=1000)])


class DiscussionForm(FlaskForm):
    aspect = HiddenField(validators=[DataRequired()])
    open = HiddenField(validators=[DataRequired()])


class WindowForm(FlaskForm):
    kind = StringField(validators=[DataRequired(), AnyOf(["skill", "criterion", "day", "descriptors"])])
    key = StringField(validators=[Optional(), Length(max=40)])
    open = HiddenField(validators=[DataRequired()])
