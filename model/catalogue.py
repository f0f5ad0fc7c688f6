"""Every field of a fact, once: its name, type, meaning, allowed values and rounding.

The store's schema, the review form, `query`, the export, the data package and the Datasette
metadata read this catalogue instead of spelling the fields out (a test checks that each of
them shows every field). The one validity check of a fact is in model/validity.py; the
indexes a fact can be about, with the years and the scale of each, are here too.

A fact's fields come in three groups:

- claims: what the text states about a unit (FACTS.md), the fields a reviewer may correct;
- provenance: where in the article the claims were read, and by which rules;
- derived: keys and register links computed from the claims (model/derive.py), by the store
  on every write, never typed in by anyone.
"""
from dataclasses import dataclass

CLAIM, PROVENANCE, DERIVED = "claim", "provenance", "derived"

LEVELS = ("province", "district", "commune", "department", "central_agency", "ministry")
REGISTERS = ("legacy", "current")
# Where a fact stands with the reviewers: pending until a person accepts, corrects or rejects it.
STATUSES = ("pending", "accepted", "corrected", "rejected")


@dataclass(frozen=True)
class Index:
    code: str
    name: str
    first_year: int          # the first evaluated year a unit can have been ranked on it
    score_max: float         # its scale: a published overall score lies in (0, score_max]
    # below this a figure is a component's or a pillar's (those are out of 10), not the overall
    # score: the extractor does not read one as the index, though no check forbids it
    score_floor: float = 10


# First years: the national PAR Index began with 2012, but provinces ranked their own
# departments and districts on administrative reform before it, under the first national
# programme of 2001-2010 (rankings of 2008 are seen in the news); SIPAS began with 2017,
# PAPI with its pilot of 2009, PCI with 2005, DDCI with Quảng Ninh's first one of 2012.
# Scales: PAPI's total is eight dimensions of 10 points each (six before 2018): at most 80; a
# province's own PAR scoring adds bonus points over 100 (up to 110); OTHER covers indexes on
# scales of their own (the digital transformation index DTI: 1,000 points).
INDEX_LIST = (
    Index("PAR", "Chỉ số cải cách hành chính (PAR Index)", 2001, 110),
    Index("SIPAS", "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)", 2017, 100),
    Index("PAPI", "Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI)", 2009, 80),
    Index("PCI", "Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)", 2005, 100),
    Index("DDCI", "Chỉ số năng lực cạnh tranh cấp sở, ngành và địa phương (DDCI)", 2012, 100),
    Index("OTHER", "Another ranking of public bodies (digital transformation, ICT, service)", 2005, 1000, 0),
)
INDEXES = tuple(index.code for index in INDEX_LIST)
INDEX = {index.code: index for index in INDEX_LIST}
DEFAULT_INDEX = "PAR"


@dataclass(frozen=True)
class Field:
    name: str
    type: type               # str, int, float, bool or list (a list is stored as JSON text)
    group: str               # claim, provenance or derived
    meaning: str
    allowed: tuple = ()      # the only values it may take, when a closed set
    unit: str | None = None  # of measurement, for the data package
    decimals: int | None = None  # published with this many decimals


FIELDS = (
    Field("unit", str, CLAIM, "The unit as written, with its type word, without UBND "
          "(xã Kim Anh, thành phố Hà Tĩnh, Sở Tư pháp)."),
    Field("level", str, CLAIM, "province, district, commune, department, central_agency or ministry.",
          allowed=LEVELS),
    Field("index", str, CLAIM, "PAR (Chỉ số cải cách hành chính), SIPAS, PAPI, PCI, DDCI or OTHER.",
          allowed=INDEXES),
    Field("year", int, CLAIM, "The evaluated year (not the publication year).", unit="year"),
    Field("province", str, CLAIM, "The province the unit belongs to, name only (for a province its "
          "own name); empty for ministries."),
    Field("parent", str, CLAIM, "The unit it is ranked within, when the text states it."),
    Field("rank", int, CLAIM, "Position in the ranked group (1 = best).", unit="position"),
    Field("rank_total", int, CLAIM, "Size of the ranked group, when stated with the rank.", unit="units"),
    Field("rank_change", int, CLAIM, "Places moved since the previous evaluation (positive = up, "
          "0 = unchanged).", unit="places"),
    Field("score", float, CLAIM, "The overall index value as published (percent or points).",
          unit="percent or points, as published", decimals=2),
    Field("score_min", float, CLAIM, "A lower bound when only a band is published ('trên 90%').",
          unit="percent or points, as published", decimals=2),
    Field("evidence", str, PROVENANCE, "The sentence of the article that states the fact."),
    Field("start", int, PROVENANCE, "Character offset of the evidence in the article's text."),
    Field("end", int, PROVENANCE, "Character offset just after the evidence."),
    Field("rules", list, PROVENANCE, "Ids of the extraction rules (patterns/) that read the fact."),
    Field("unit_key", str, DERIVED, "The unit's name without its type word and UBND, lower case, one "
          "tone placement: the key that joins spellings (kỳ anh)."),
    Field("unit_code", str, DERIVED, "GSO code of the unit in its register (see register); empty when "
          "not linked."),
    Field("unit_official", str, DERIVED, "The unit's official name in the register, or the normalised "
          "name of a department, agency or ministry."),
    Field("register", str, DERIVED, "legacy: units as they were before 1 July 2025 (63 provinces); "
          "current: after the 2025 reorganisation (34 provinces).", allowed=REGISTERS),
    Field("successors", list, DERIVED, "Current-register codes of the units that succeeded a legacy unit."),
    Field("province_code", str, DERIVED, "GSO code of the unit's province in its register."),
    Field("unit_ambiguous", bool, DERIVED, "True when several units of the register match the name and "
          "the text does not say which."),
    Field("candidates", list, DERIVED, "Register codes of the units the name may be."),
)
FIELD = {field.name: field for field in FIELDS}
NAMES = tuple(field.name for field in FIELDS)
CLAIMS = tuple(field.name for field in FIELDS if field.group == CLAIM)
PROVENANCE_FIELDS = tuple(field.name for field in FIELDS if field.group == PROVENANCE)
DERIVED_FIELDS = tuple(field.name for field in FIELDS if field.group == DERIVED)
# What a fact says of the unit's standing: a fact states at least one (FACTS.md, 7).
STANDING = ("rank", "rank_total", "rank_change", "score", "score_min")
# The claims that name the unit, its place and its time: what the derived fields depend on.
IDENTITY = ("unit", "level", "index", "year", "province", "parent")


def rounded(name: str, value):
    """A value as published: scores to their decimals, integers as integers; None stays None."""
    if value is None:
        return None
    field = FIELD[name]
    if field.decimals is not None:
        return round(float(value), field.decimals)
    if field.type is int:
        return int(value)
    return value


def first_year(index: str | None) -> int:
    """The first evaluated year of an index (of the oldest one when the index is unknown)."""
    known = INDEX.get(index)
    return known.first_year if known else min(i.first_year for i in INDEX_LIST)
