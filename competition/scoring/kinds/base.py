"""What an aspect kind declares, and the registry that finds an aspect's kind.

A kind is one way of marking an aspect (judgement, binary, stepped, deduction…). It is
defined once, in its own module in this package, as a subclass of :class:`AspectKind`
registered with :func:`register_kind`, next to the aggregation rule(s) it brings
(:func:`competition.scoring.rules.register`). Everything that differs between kinds is
looked up here, never in a chain of ``if kind == …``:

- scheme files: the ``type`` (and, for types with several kinds, the ``method``) that selects
  the kind, the keys it takes (:attr:`AspectKind.keys`) and how they are read and checked
  (:meth:`AspectKind.read`, reporting problems at their line through :class:`AspectTable`);
- entries: what a judge may enter (:meth:`AspectKind.entry_problem`), the choices a form
  offers (:meth:`AspectKind.choices`), the largest count a counter takes
  (:meth:`AspectKind.limit`), what one entry alone is worth (:meth:`AspectKind.worth`);
- disagreement: entries of several judges further apart than the aspect allows
  (:meth:`AspectKind.disagreement`; measurement kinds: :mod:`competition.scoring.kinds.agreement`);
- aggregation: its default rule (:attr:`AspectKind.default_rule`) and whether an aspect may
  choose another rule of the kind (:attr:`AspectKind.chooses_rule`);
- the marking form: the widget (``choices`` or ``counter``) and the template partial that
  draws it (:attr:`AspectKind.partial`, ``templates/judge/kinds/<name>.html``).

Pure: standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from competition.scoring._toml_lines import FieldChecker
from competition.scoring.i18n import N_, Message
from competition.scoring.model import Aspect, RuleRef
from competition.scoring.numbers import as_decimal, plain
from competition.scoring.rules import RULES, aggregate_aspect
from competition.scoring.text import Text

CHOICES = "choices"  # one tap on one of the listed choices (radio buttons)
COUNTER = "counter"  # a whole number from 0 to the kind's limit, with − and + buttons
KEYPAD = "keypad"  # a number typed on a keypad (or stepped), shown big and sent when confirmed
WIDGETS = (CHOICES, COUNTER, KEYPAD)
RULE_KEYS = ("rule", "rule_params")  # the keys of kinds that may choose their rule


@dataclass(frozen=True)
class Choice:
    """One choice a form offers: ``value`` as posted and stored (written with
    :func:`~competition.scoring.numbers.plain`, so a stored entry matches it as text) and the
    ``label`` shown."""

    value: str
    label: str


@dataclass(frozen=True)
class AspectTable:
    """One ``[[criterion.sub.aspect]]`` table while a scheme file is read.

    A kind reads its own keys through this: values come back checked (or ``None``), and
    problems are recorded with the file's line numbers and the field path
    (``criterion[0].sub[1].aspect[2].steps``) for ``podium check-scheme``.
    """

    check: FieldChecker
    table: Mapping[str, object]
    path: str
    max_mark: Decimal | None  # the aspect's max, None when it is missing or invalid
    rule: RuleRef | None = None  # the aspect's rule, for kinds that choose one
    inherited: Mapping[str, object] | None = None  # scheme-wide settings a kind may inherit (``scale``)
    agreements: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))  # the scheme's measurement_agreement, by kind

    def __contains__(self, key: str) -> bool:
        return key in self.table

    def get(self, key: str, default: object = None) -> object:
        return self.table.get(key, default)

    def problem(self, key: str, message: str) -> None:
        """Record a problem with ``key`` (``"steps"``, ``"steps[2]"``) of this aspect."""
        self.check.add(f"{self.path}.{key}", message)

    def number(self, key: str, *, required: bool = False, places: bool = False) -> Decimal | None:
        """The number at ``key`` as an exact Decimal; ``places``: at most two decimals, as marks."""
        return self.check.number(self.table, self.path, key, required=required, places=places)

    def number_in(self, key: str, index: int, value: object, *, places: bool = False) -> Decimal | None:
        """Item ``index`` of the array at ``key`` as a number (problems name ``key[index]``)."""
        return self.check.as_number(value, f"{self.path}.{key}[{index}]", key, places=places)

    def integer(self, key: str, low: int, high: int | None = None) -> int | None:
        """The whole number at ``key``, from ``low`` (to ``high``), or None."""
        return self.check.integer(self.table, self.path, key, low, high)

    def words_in(self, key: str, index: int, value: object, *, bad: str) -> Text | None:
        """Item ``index`` of the array at ``key`` as scheme text — a string, or a table of
        languages ``{ en = "…", zh = "…" }`` — or None; ``bad`` is the problem of a value that
        is neither."""
        return self.check.as_words(value, f"{self.path}.{key}[{index}]", "", bad)


class AspectKind:
    """A way of marking an aspect. Subclass it, set the class attributes, override what
    differs, and register one instance with :func:`register_kind`.

    Entries are :class:`~decimal.Decimal`; the defaults below serve kinds whose entries are
    their choices.
    """

    type: str = ""  # the scheme's `type`: "judgement" or "measurement"
    method: str | None = None  # the scheme's `method`, for types with several kinds
    keys: tuple[str, ...] = ()  # scheme keys the kind takes besides the common aspect keys
    chooses_rule: bool = False  # aspects may name a rule (`rule`, `rule_params`) and inherit the scheme's
    default_rule: str = ""  # the rule an aspect of this kind gets unless it chooses one
    widget: str = CHOICES  # how the marking form takes an entry: CHOICES, COUNTER or KEYPAD

    @property
    def name(self) -> str:
        """The kind's name in the registry: its method, or its type when it has none."""
        return self.method or self.type

    @property
    def partial(self) -> str:
        """The template that draws the kind's widget in the marking form."""
        return f"judge/kinds/{self.name}.html"

    @property
    def scheme_keys(self) -> tuple[str, ...]:
        """Every key of an aspect table that belongs to this kind."""
        return self.keys + (RULE_KEYS if self.chooses_rule else ())

    def __repr__(self) -> str:
        return f"<AspectKind {self.name!r}>"

    # -- scheme files --------------------------------------------------------------------

    def read(self, table: AspectTable) -> dict[str, object]:
        """Read and check the kind's own keys; return them as :class:`Aspect` fields (a kind
        without dedicated fields returns ``{"settings": {...}}``). Problems go to ``table``."""
        return {}

    # -- entries -------------------------------------------------------------------------

    def widget_of(self, aspect: Aspect) -> str:
        """The widget that takes this aspect's entry (the kind's, unless it depends on the aspect)."""
        return self.widget

    def choices(self, aspect: Aspect) -> list[Choice]:
        """What a form offers, in order (empty for a counter)."""
        return []

    def limit(self, aspect: Aspect) -> int | None:
        """The largest whole number a counter takes (None: no counter, or no limit)."""
        return None

    def entries(self, aspect: Aspect) -> tuple[Decimal, ...]:
        """Every entry the aspect takes, when they can be listed: the choices' values, or a
        counter's 0 to its limit."""
        if self.widget == COUNTER:
            limit = self.limit(aspect)
            return tuple(Decimal(n) for n in range(limit + 1)) if limit is not None else ()
        return tuple(Decimal(c.value) for c in self.choices(aspect))

    def entry_problem(self, aspect: Aspect, value: Decimal, raw: object) -> str | None:
        """Why ``value`` (parsed from ``raw``, finite) is not an entry this aspect takes, or None."""
        allowed = self.entries(aspect)
        if value in allowed:
            return None
        return Message(N_("aspect %(aspect)s takes one of %(entries)s, not %(value)s"), aspect=aspect.id,
                       entries=", ".join(plain(e) for e in allowed), value=raw)

    def worth(self, aspect: Aspect, entry: object) -> Decimal:
        """What one entry alone makes of the aspect (the resulting mark a judge is shown):
        the aspect's rule applied to that single entry."""
        mark = aggregate_aspect(aspect, [as_decimal(entry)]).mark
        return mark if mark is not None else Decimal(0)

    def disagreement(self, aspect: Aspect, entries: Sequence[Decimal]) -> object | None:
        """How the panel's entries disagree beyond what the aspect allows (a
        :class:`~competition.scoring.kinds.agreement.Disagreement`), or None. Judgement
        variance is the rule's to flag; measurement kinds say it here (see
        :mod:`competition.scoring.kinds.agreement`)."""
        return None


KINDS: dict[str, AspectKind] = {}


def register_kind(kind: AspectKind) -> AspectKind:
    """Add ``kind`` to the registry (registration order is the order kinds and their keys
    are listed in scheme-file problems). Its default rule must already be registered for it."""
    if not kind.type:
        raise ValueError(f"{type(kind).__name__}: a kind needs a type")
    if kind.name in KINDS:
        raise ValueError(f"aspect kind {kind.name!r} is already registered")
    if kind.widget not in WIDGETS:
        raise ValueError(f"aspect kind {kind.name!r}: widget must be one of {', '.join(WIDGETS)}, not {kind.widget!r}")
    siblings = [k for k in KINDS.values() if k.type == kind.type]
    if siblings and (kind.method is None or any(k.method is None for k in siblings)):
        raise ValueError(f"aspect kind {kind.name!r}: every kind of type {kind.type!r} needs a method once there are several")
    rule = RULES.get(kind.default_rule)
    if rule is None or kind.name not in rule.kinds:
        raise ValueError(f"aspect kind {kind.name!r}: its default rule {kind.default_rule!r} is not registered for it")
    KINDS[kind.name] = kind
    return kind


def kind_of(aspect: Aspect) -> AspectKind:
    """The registered kind of ``aspect`` (by its method, or its type when it has none)."""
    name = aspect.method or aspect.kind
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"aspect {aspect.id}: no aspect kind {name!r} is registered; known: {', '.join(KINDS)}") from None


def kind_for(type_: str, method: str | None) -> AspectKind | None:
    """The kind a scheme names with ``type`` (and ``method``), or None."""
    return next((k for k in KINDS.values() if k.type == type_ and k.method == method), None)


def types() -> list[str]:
    """The scheme ``type`` values, in registration order."""
    return list(dict.fromkeys(k.type for k in KINDS.values()))


def methods(type_: str) -> list[str]:
    """The methods of ``type_``, in registration order (empty: the type is one kind)."""
    return [k.method for k in KINDS.values() if k.type == type_ and k.method is not None]


def type_keys(type_: str) -> tuple[str, ...]:
    """Every key an aspect of ``type_`` may take besides the common ones: ``method`` when the
    type has several kinds, then each kind's keys."""
    keys = ["method"] if methods(type_) else []
    for kind in KINDS.values():
        if kind.type == type_:
            keys.extend(kind.scheme_keys)
    return tuple(dict.fromkeys(keys))
