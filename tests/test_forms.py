"""Form files: the shipped forms load, u12 scoring and bands, licensed overlay, clear errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aim3desk.domain.cases import AssessmentModel
from aim3desk.domain.forms import (
    FACTORS_PER_DOMAIN,
    FormError,
    FormSet,
    apply_licensed,
    parse_form_set,
)
from aim3desk.paths import data_dir
from aim3desk.services.forms_loader import load_form_set

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "forms"
LICENSED = Path(__file__).resolve().parent / "fixtures" / "licensed-example.toml"
DOMAIN_IDS = (
    "sexual_behaviour",
    "non_sexual_behaviour",
    "developmental",
    "family_environment",
    "self_regulation",
)
RISK_LABEL = re.compile(r"\b(low|medium|moderate|high)[\s-]+risk\b", re.IGNORECASE)


def shipped_sources() -> dict[str, str]:
    """The shipped files keyed as the parser's tests name them (forms/...)."""
    sources = {"forms/domains.toml": (FORMS / "domains.toml").read_text(encoding="utf-8")}
    for path in sorted((FORMS / "models").glob("*.toml")):
        sources[f"forms/models/{path.name}"] = path.read_text(encoding="utf-8")
    return sources


@pytest.fixture(scope="module")
def forms() -> FormSet:
    return load_form_set(FORMS)


# ---------------------------------------------------------------------------------------------
# The shipped forms


def test_default_forms_dir_is_found_from_the_checkout() -> None:
    assert data_dir("forms") == FORMS
    assert load_form_set() == load_form_set(FORMS)


def test_missing_data_dir_names_the_places_tried() -> None:
    with pytest.raises(FileNotFoundError, match="no-such-folder"):
        data_dir("no-such-folder")


def test_shipped_forms_have_five_domains_of_five_generic_slots(forms: FormSet) -> None:
    assert tuple(d.id for d in forms.domains) == DOMAIN_IDS
    for domain in forms.domains:
        assert domain.title and domain.summary
        assert "Strengths are recorded" in domain.strengths
        assert 3 <= len(domain.areas) <= 5
        for area in domain.areas:
            assert 3 <= len(area.prompts) <= 6
        assert [f.slot for f in domain.factors] == [1, 2, 3, 4, 5]
        for factor in domain.factors:
            assert not factor.licensed
            assert factor.label == f"{domain.title} factor {factor.slot}"
            assert "licensed" in factor.descriptor
    assert not forms.is_licensed


def test_every_case_model_has_a_form(forms: FormSet) -> None:
    for model_id in AssessmentModel:
        model = forms.model(model_id.value)
        assert model.domain_ids == DOMAIN_IDS
        assert [d.id for d in forms.domains_for(model_id.value)] == list(DOMAIN_IDS)


def test_aim3_default_scale_has_no_score_and_no_risk_label(forms: FormSet) -> None:
    aim3 = forms.model("aim3")
    assert (aim3.min_age, aim3.max_age) == (12, 18)
    assert aim3.scale.values == ("no_concern", "some_concern", "significant_concern", "unknown")
    assert aim3.scale.strengths_recorded
    assert aim3.domain_score is None and aim3.bands == ()
    assert aim3.domain_total(dict.fromkeys(range(1, 6), "significant_concern")) is None
    for model in forms.models:
        for label in [o.label for o in model.scale.options] + [b.label for b in model.bands]:
            assert not RISK_LABEL.search(label)


def test_u12_age_range_and_under_sevens_note(forms: FormSet) -> None:
    u12 = forms.model("aim-u12")
    assert (u12.min_age, u12.max_age) == (8, 12)
    assert "pattern mapping" in u12.age_note


# ---------------------------------------------------------------------------------------------
# AIM u12 totals and bands


@pytest.mark.parametrize(
    ("ratings", "total", "band"),
    [
        (["no_concern"] * 5, 0, "green"),
        (["some_concern", "some_concern"] + ["no_concern"] * 3, 4, "green"),
        (["some_concern"] * 3 + ["no_concern"] * 2, 6, "amber"),
        (["significant_concern"] * 3 + ["no_concern"] * 2, 12, "amber"),
        (["significant_concern"] * 3 + ["some_concern"] + ["no_concern"], 14, "red"),
        (["significant_concern"] * 5, 20, "red"),
    ],
)
def test_u12_totals_and_bands_at_boundaries(
    forms: FormSet, ratings: list[str], total: int, band: str
) -> None:
    u12 = forms.model("aim-u12")
    got = u12.domain_total(dict(enumerate(ratings, start=1)))
    assert got == total
    assert u12.band_for(got).id == band


def test_u12_total_waits_for_every_scored_rating(forms: FormSet) -> None:
    u12 = forms.model("aim-u12")
    four = dict.fromkeys(range(1, 5), "some_concern")
    assert u12.domain_total(four) is None
    assert u12.domain_total({**four, 5: None}) is None
    assert u12.domain_total({**four, 5: "unknown"}) is None
    assert u12.band_for(None) is None
    with pytest.raises(KeyError):
        u12.domain_total({**four, 5: "not_a_rating"})


_U12 = load_form_set(FORMS).model("aim-u12")
_SCORED = [o.value for o in _U12.scale.options if o.score is not None]


@settings(deadline=None)  # no time limit per example: a busy machine must not fail it
@given(st.lists(st.sampled_from(_SCORED), min_size=FACTORS_PER_DOMAIN, max_size=FACTORS_PER_DOMAIN))
def test_every_u12_rating_combination_has_one_band(ratings: list[str]) -> None:
    total = _U12.domain_total(dict(enumerate(ratings, start=1)))
    assert total is not None and 0 <= total <= 20
    assert sum(band.contains(total) for band in _U12.bands) == 1
    assert _U12.band_for(total) is not None


# ---------------------------------------------------------------------------------------------
# The licensed overlay


def test_licensed_file_names_factors_and_replaces_scoring() -> None:
    forms = load_form_set(FORMS, licensed_file=LICENSED)
    assert forms.licensed_source == str(LICENSED)
    assert forms.organisation == "Invented Borough Youth Justice Service"
    factor = forms.domain("developmental").factor(3)
    assert factor.label == "Invented factor C3" and factor.licensed
    assert "invented factor C3" in factor.descriptor
    assert all(f.licensed for d in forms.domains for f in d.factors)
    aim3 = forms.model("aim3")
    assert aim3.domain_score == "sum"
    assert aim3.domain_total(dict.fromkeys(range(1, 6), "invented_marked")) == 10
    assert aim3.band_for(10).id == "invented_dark"
    assert forms.model("aim-u12") == load_form_set(FORMS).model("aim-u12")


def test_licensed_file_may_name_only_some_slots(forms: FormSet) -> None:
    text = 'format = 1\n[[domains.self_regulation.factors]]\nslot = 2\nname = "Invented factor Z"\n'
    overlaid = apply_licensed(forms, "org.toml", text)
    slots = overlaid.domain("self_regulation").factors
    assert [f.licensed for f in slots] == [False, True, False, False, False]
    assert slots[1].label == "Invented factor Z"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'format = 1\n[[domains.nope.factors]]\nslot = 1\nname = "X"\n',
            "org.toml: domains.nope: no domain",
        ),
        (
            'format = 1\n[[domains.developmental.factors]]\nslot = 6\nname = "X"\n',
            "org.toml: domains.developmental.factors[0].slot: expected a slot from 1 to 5, got 6",
        ),
        (
            'format = 1\n[[domains.developmental.factors]]\nslot = 1\nnmae = "X"\n',
            "org.toml: domains.developmental.factors[0].name: required key is missing",
        ),
        (
            'format = 1\n[models.aim-u12]\ndomain_score = "average"\n',
            'models.aim-u12.domain_score: expected "sum" or "none"',
        ),
        (
            'format = 1\n[models.aim-u12]\n[[models.aim-u12.bands]]\nid = "all"\nlabel = "All"\n'
            'colour = "#000000"\nmin = 0\nmax = 10\n',
            "org.toml: models.aim-u12.bands: domain total 12 is reachable but falls in no band",
        ),
        ('format = 1\nvendor = "x"\n', "org.toml: vendor: unknown key"),
    ],
)
def test_bad_licensed_files_name_the_key(forms: FormSet, text: str, expected: str) -> None:
    with pytest.raises(FormError) as caught:
        apply_licensed(forms, "org.toml", text)
    assert expected in str(caught.value)


# ---------------------------------------------------------------------------------------------
# Malformed shipped files


def _error_for(name: str, edit) -> FormError:
    sources = shipped_sources()
    sources[name] = edit(sources[name])
    with pytest.raises(FormError) as caught:
        parse_form_set(sources)
    return caught.value


def test_shipped_sources_parse_cleanly() -> None:
    assert parse_form_set(shipped_sources()) == load_form_set(FORMS)


def test_toml_syntax_error_names_file_line_and_column() -> None:
    error = _error_for("forms/models/aim3.toml", lambda t: t.replace('name = "AIM3"', "name = "))
    assert error.file == "forms/models/aim3.toml"
    assert error.line == 10 and error.column is not None
    assert str(error).startswith(f"forms/models/aim3.toml: line 10, column {error.column}: ")
    assert "TOML syntax error" in str(error)


def test_wrong_type_names_file_and_key_path() -> None:
    error = _error_for("forms/models/aim-u12.toml", lambda t: t.replace("min = 6", 'min = "six"'))
    assert str(error) == 'forms/models/aim-u12.toml: bands[1].min: expected an integer, got "six"'


def test_missing_key_is_named() -> None:
    error = _error_for(
        "forms/domains.toml", lambda t: t.replace('title = "Developmental"\n', "", 1)
    )
    assert str(error) == "forms/domains.toml: domains[2].title: required key is missing"


def test_unknown_key_is_rejected_by_name() -> None:
    error = _error_for(
        "forms/models/aim3.toml", lambda t: t.replace("min_age = 12", "min_age = 12\nmin_agee = 13")
    )
    assert str(error).startswith("forms/models/aim3.toml: min_agee: unknown key")


def test_four_factor_slots_are_rejected() -> None:
    def drop_slot_five(text: str) -> str:
        block = (
            '[[domains.factors]]\nslot = 5\nlabel = "Self-regulation factor 5"\n'
            'descriptor = "The licensed factor name and descriptor come from your '
            "organisation's AIM3 form file.\"\n"
        )
        assert block in text
        return text.replace(block, "")

    error = _error_for("forms/domains.toml", drop_slot_five)
    assert str(error) == (
        "forms/domains.toml: domains[4].factors: expected exactly 5 factor slots, got 4"
    )


def test_overlapping_bands_are_rejected() -> None:
    error = _error_for("forms/models/aim-u12.toml", lambda t: t.replace("min = 6", "min = 4"))
    assert error.file == "forms/models/aim-u12.toml"
    assert error.key_path == "bands[1].min"
    assert "overlaps band 'green'" in str(error)


def test_band_gap_is_rejected() -> None:
    error = _error_for("forms/models/aim-u12.toml", lambda t: t.replace("max = 12", "max = 10"))
    assert str(error).startswith("forms/models/aim-u12.toml: bands: domain total 12 is reachable")


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "forms/models/aim3.toml",
            '"self_regulation",',
            '"self_control",',
            "domains[4]: no domain",
        ),
        ("forms/models/aim3.toml", "max_age = 18", "max_age = 10", "max_age: expected an age"),
        ("forms/models/aim3.toml", 'id = "aim3"', 'id = "aim4"', "id: must match the file name"),
        (
            "forms/models/aim-u12.toml",
            "score = 2",
            "score = -2",
            "scale.options[1].score: must not",
        ),
        (
            "forms/models/aim-u12.toml",
            'label = "Green"',
            'label = "Low risk"',
            "does not label risk",
        ),
        ("forms/domains.toml", 'id = "coping"', 'id = "emotional_regulation"', "duplicate area id"),
        (
            "forms/domains.toml",
            'id = "developmental"',
            'id = "self_regulation"',
            "duplicate domain",
        ),
        (
            "forms/domains.toml",
            "slot = 4",
            "slot = 3",
            "domains[0].factors[3].slot: duplicate slot",
        ),
    ],
)
def test_other_rule_breaks_are_named(name: str, old: str, new: str, expected: str) -> None:
    error = _error_for(name, lambda t: t.replace(old, new, 1))
    assert str(error).startswith(f"{name}: ")
    assert expected in str(error)


def test_loader_errors_carry_the_full_path(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "domains.toml").write_text((FORMS / "domains.toml").read_text(encoding="utf-8"))
    bad = tmp_path / "models" / "aim3.toml"
    bad.write_text("format = 1\nid = \n", encoding="utf-8")
    with pytest.raises(FormError) as caught:
        load_form_set(tmp_path)
    assert str(caught.value).startswith(f"{bad}: line 2, column 6: TOML syntax error")
    with pytest.raises(FormError, match="file not found"):
        load_form_set(FORMS, licensed_file=tmp_path / "missing.toml")


def test_documented_licensed_example_is_valid(forms: FormSet) -> None:
    doc = (ROOT / "docs" / "forms.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", doc, re.DOTALL)
    assert example is not None
    overlaid = apply_licensed(forms, "docs/forms.md", example.group(1))
    assert overlaid.domain("developmental").factor(1).label == "Invented factor C1"
    assert overlaid.model("aim3").band_for(10).id == "invented_dark"
