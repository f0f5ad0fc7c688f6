"""Load the rules of patterns/ (data) into compiled regular expressions and spaCy patterns."""
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from parindex.model.loading import PATTERNS_DIR, collector_paused, read_patterns, read_yaml
from parindex.model.normalize import fold_tones
from parindex.model.topic import compile_topic


@dataclass
class ValueRule:
    id: str
    kind: str
    regex: re.Pattern
    value: int | None = None
    sign: int = 1
    examples: list = field(default_factory=list)
    reject: list = field(default_factory=list)
    # "next": the value names only the unit written right after it ("1. Huyện A ..."); "previous":
    # only the unit written right before it ("Long An 70,37", "tỉnh Yên Bái 17/63")
    owner: str | None = None
    weak: bool = False       # a rank any stated one overrides (a list item's number)
    run: bool = False        # its places count as places only as a run ("A (1), B (2)"): extract.values


@dataclass(eq=False)
class Rules:
    numbers: dict
    values: list            # ValueRule, in file order
    indexes: list           # (id, index, compiled regex)
    markers: dict           # name -> compiled regex
    typed: list             # {id, level, words}
    named: list             # {id, level, prefix, names}
    cities: set
    cities_from_2025: set
    provinces: list
    province_aliases: dict  # folded short form -> province name ("tt-huế" -> "Thừa Thiên Huế")
    list_heads: list
    context_before: list    # the words of a comparison among them
    context_compared: list
    context_index_owner: list   # an index's name before a unit: whose ranking (after a ranked unit)
    context_after: list
    source_lead: dict       # words, after_comma: the words that open a lead clause naming where the results come from
    pronoun_subject: dict   # the words of a unit named without its name: heads, any_agency, any_place, pointers, back_pointers, adverbs, verbs
    unit_examples: list
    value_source: dict


def _compile(pattern: str) -> re.Pattern:
    # Rules are matched on tone-folded text: fold the pattern the same way.
    return re.compile(fold_tones(pattern), re.IGNORECASE)


def _read(name: str, directory: Path) -> dict:
    if directory == PATTERNS_DIR:
        return read_patterns(name)   # parsed once per process, with the model's readers of it
    path = directory / name
    try:
        return read_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise ValueError(f"{path}: not valid YAML: {str(err).splitlines()[0]}") from None


@functools.lru_cache(maxsize=4)
def load_rules(directory: str | None = None) -> Rules:
    """Read patterns/*.yaml once per process."""
    with collector_paused():
        return _load_rules(directory)


def _load_rules(directory: str | None) -> Rules:
    base = Path(directory) if directory else PATTERNS_DIR
    units = _read("units.yaml", base)
    values = _read("values.yaml", base)
    group_nouns = values["group_nouns"]
    value_rules = []
    for raw in values["rules"]:
        try:
            regex = _compile(raw["regex"].replace("{group_nouns}", group_nouns)
                             .replace("{compound_number}", values["compound_number"]))
        except re.error as err:
            raise ValueError(f"{base / 'values.yaml'}: rule {raw.get('id')}: bad regex: {err}") from None
        value_rules.append(ValueRule(
            id=raw["id"], kind=raw["kind"], regex=regex, value=raw.get("value"),
            sign=int(raw.get("sign", 1)), examples=raw.get("examples", []), reject=raw.get("reject", []),
            owner=raw.get("owner"), weak=bool(raw.get("weak")), run=bool(raw.get("run"))))
    indexes = [(r["id"], r["index"], _compile(r["regex"])) for r in values["indexes"]]
    # a marker is a regex, or {regex, examples, reject} when it carries its own examples
    markers = {k: _compile((v if isinstance(v, str) else v["regex"]).replace("{group_nouns}", group_nouns))
               for k, v in values["markers"].items()}
    # the one topic test (model/topic.py): the crawler compiles the same words the same way
    markers["topic"] = compile_topic(values["markers"]["topic"])
    return Rules(
        numbers={fold_tones(k): int(v) for k, v in values["numbers"].items()},
        values=value_rules, indexes=indexes, markers=markers,
        typed=units["typed"], named=units["named"],
        cities=set(units["cities"]), cities_from_2025=set(units.get("cities_from_2025", [])),
        provinces=units["provinces"],
        province_aliases={fold_tones(k.lower()): v for k, v in (units.get("province_aliases") or {}).items()},
        list_heads=units["list_heads"],
        context_before=units["context_before"] + units["context_compared"]["words"],
        context_compared=units["context_compared"]["words"],
        context_index_owner=units["context_index_owner"]["words"],
        context_after=units.get("context_after", []), source_lead={k: units["source_lead"][k] for k in ("words", "after_comma")},
        pronoun_subject=units["pronoun_subject"],
        unit_examples=units.get("examples", []),
        value_source=values)
