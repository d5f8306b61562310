"""Compare a needle length with published depths at a site: ``atlas.needle_check``.

The answer always names the study, its population and its end-point, warns that thin people sit
far below the mean, and never says "safe": a published mean describes a group, not the patient.
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass

import pandas as pd

from dnviz.exceptions import SiteNotFoundError
from dnviz.vocabulary import BMI_GROUPS, SEXES, check_choice, check_number

#: Longest needle length accepted, in mm (dry-needling needles are about 13 to 100 mm long).
MAX_NEEDLE_MM = 150

ALWAYS = (
    "No published depth makes a needle length safe: depths vary more between people of one sex or BMI group than "
    "between groups, and thin people sit far below the mean.",
    "Posture and breathing change the depth; technique (pincer grip, rib bracketing, a direction away from the lung) "
    "matters as much as length.",
)


def bmi_group(bmi: float | str | None) -> str | None:
    """WHO adult BMI class of a number (``17.9 -> 'underweight'``), or a class name checked."""
    if bmi is None:
        return None
    if isinstance(bmi, str):
        return str(check_choice("bmi", bmi, BMI_GROUPS))
    value = check_number("bmi", bmi, 10, 80, meaning="a plausible adult BMI in kg/m², or a BMI group name")
    return "underweight" if value < 18.5 else "normal" if value < 25 else "overweight" if value < 30 else "obese"


@dataclass(frozen=True)
class NeedleCheck:
    """The comparison of one needle length with the published depths at one site."""

    site_id: str
    site_name: str
    needle_mm: float
    sex: str | None
    bmi_group: str | None
    findings: pd.DataFrame  # one row per published statistic, with a plain-words comparison and level
    level: str  # "reaches", "close", "below" or "unknown"; never "safe"
    headline: str
    warnings: tuple[str, ...]

    @property
    def reaches(self) -> bool:
        """True when the needle is at least as long as a published mean or minimum depth to the pleura
        or a dangerous tissue, or as a needle that breached the pleura in cadavers."""
        return self.level == "reaches"

    def __str__(self) -> str:
        lines = [f"{self.needle_mm:g} mm needle at {self.site_name}: {self.headline}"]
        lines += [f"- {c}" for c in self.findings["comparison"]]
        lines += [f"! {w}" for w in self.warnings]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = lambda s: html.escape(str(s))  # noqa: E731
        items = "".join(f"<li>{esc(c)}</li>" for c in self.findings["comparison"])
        warns = "".join(f"<li>{esc(w)}</li>" for w in self.warnings)
        return (
            f"<div class='dnviz-needle'><p><b>{esc(self.needle_mm)} mm needle at {esc(self.site_name)}</b>: "
            f"{esc(self.headline)}</p><ul>{items}</ul><p><b>Caveats</b></p><ul>{warns}</ul></div>"
        )


LEVELS = ("below", "close", "reaches")  # ordered: the worst level of any finding is the headline


def _compare(atlas, row: pd.Series, needle: float) -> tuple[str, str]:
    """One published statistic against the needle: (plain-words comparison, level)."""
    who = f"{atlas.cite(row['source_id'], short=True)[0]} ({row['method']}, {row['population']}; {row['sex']}"
    who += "" if row["bmi_group"] == "all" else f", {row['bmi_group']}"
    who += ")"
    if row["end_point"] == "pleural_space_breach":
        tested, fraction = row["max_mm"], row["breach_fraction"]
        if needle < tested:
            return f"{who}: a longer {tested:g} mm needle was tested: {row['stat_note']}.", "below"
        if fraction > 0:
            return (
                f"{who}: a {tested:g} mm needle breached the pleural space in {fraction:.0%} of specimens: {row['stat_note']}.",
                "reaches",
            )
        count = "" if pd.isna(row["n"]) else f" {int(row['n'])}"
        return (
            f"{who}: a {tested:g} mm needle did not breach the pleural space in these{count} specimens, a small "
            f"sample of cadavers that clears no needle length for a living patient: {row['stat_note']}.",
            "below",
        )
    end = {"pleura": "the pleura", "rib": "the rib", "dangerous_tissue": "the nearest dangerous tissue"}[
        row["end_point"]
    ]
    parts, level = [], "below"
    mean, sd, low = row["mean_mm"], row["sd_mm"], row["min_mm"]
    if not pd.isna(mean):
        sd_text = "" if pd.isna(sd) else f" (SD {sd:g} mm)"
        if needle >= mean:
            parts.append(
                f"the needle is {needle - mean:g} mm longer than the mean depth to {end}, {mean:g} mm{sd_text}"
            )
            level = "reaches"
        else:
            parts.append(
                f"the mean depth to {end} is {mean:g} mm{sd_text}, only {mean - needle:g} mm beyond the needle"
            )
            near = needle >= mean - 2 * sd if not pd.isna(sd) else needle >= 0.6 * mean
            level = "close" if near else level
    if not pd.isna(low):
        if needle >= low:
            parts.append(f"it is as long as the shallowest depth measured, {low:g} mm")
            level = "reaches"
        else:
            parts.append(f"the shallowest depth measured was {low:g} mm")
    else:
        parts.append("no minimum was published")
    if row["end_point"] == "rib" and level == "reaches":
        parts.append("between the ribs the pleura lies just beyond rib depth, so this length needs the rib bracketed")
        level = "close"
    return f"{who}: {'; '.join(parts)}.", level


def needle_check(
    atlas, site: str, needle_mm: float, sex: str | None = None, bmi: float | str | None = None
) -> NeedleCheck:
    """Compare a needle length with the published depths at a site, for a person of this sex and build.

    Parameters
    ----------
    atlas : Atlas
    site : str
        A site id of ``atlas.depths`` (``"gb21"``), its name, or a muscle measured there.
    needle_mm : float
        Needle length in mm (positive).
    sex : {"male", "female"}, optional
    bmi : float or {"underweight", "normal", "overweight", "obese"}, optional

    Returns
    -------
    NeedleCheck
        With ``findings`` naming each study, its population and end-point, a ``headline`` that
        never says "safe", and ``warnings``.
    """
    needle = check_number(
        "needle_mm",
        needle_mm,
        0,
        MAX_NEEDLE_MM,
        low_open=True,
        meaning="a needle length in mm such as 30; dry-needling needles are about 13 to 100 mm",
    )
    check_choice("sex", sex, (*SEXES, None))
    group = bmi_group(bmi)
    depths = atlas.depths
    site_id = _resolve_site(atlas, site)
    rows = depths[depths["site_id"] == site_id]
    if sex is not None:
        rows = rows[rows["sex"].isin(["all", sex])]
    if group is not None:
        rows = rows[rows["bmi_group"].isin(["all", group])]
    warnings = list(ALWAYS)
    if sex is not None and not (rows["sex"] == sex).any():
        warnings.append(f"No {sex}-specific depth is published for this site; the figures are for all participants.")
    if group is not None and not (rows["bmi_group"] == group).any():
        warnings.append(
            f"No depth is published for the {group} BMI group at this site; the figures below are for all builds."
        )
    if group == "underweight":
        warnings.append(
            "Underweight build: pneumothorax case reports after needling involve thin, low-BMI patients; "
            "expect the pleura to lie shallower than every mean shown."
        )
    if (rows["method"] == "cadaver_fluoroscopy").any():
        warnings.append(
            "Cadaver results come from a small number of elderly cadavers (see n and population), not living "
            "patients: a needle that did not breach the pleura in them is no clearance for this patient."
        )
    findings = []
    for depth_id, row in rows.iterrows():
        text, level = _compare(atlas, row, needle)
        findings.append(
            {
                "depth_id": depth_id,
                "source_id": row["source_id"],
                "end_point": row["end_point"],
                "comparison": text,
                "level": level,
            }
        )
    frame = pd.DataFrame(findings, columns=["depth_id", "source_id", "end_point", "comparison", "level"])
    frame["level"] = pd.Categorical(frame["level"], categories=LEVELS, ordered=True)
    level = frame["level"].max() if len(frame) else "unknown"
    headline = {
        "unknown": "no published depth matches; that is no reassurance",
        "reaches": "LONG ENOUGH TO REACH the pleura or a dangerous structure in published measurements",
        "close": "CLOSE TO the published depths: in thinner people it can reach the pleura",
        "below": "shorter than the published depths, which describe groups, not this patient: thin people can be far shallower",
    }[level]
    name = (
        str(rows["site_name"].iloc[0])
        if len(rows)
        else str(depths.loc[depths["site_id"] == site_id, "site_name"].iloc[0])
    )
    return NeedleCheck(site_id, name, needle, sex, group, frame, str(level), headline, tuple(warnings))


def _resolve_site(atlas, site: str) -> str:
    depths = atlas.depths
    sites = dict(zip(depths["site_id"], depths["site_name"]))
    if not isinstance(site, str):  # a number or a list is no site, and a list cannot be looked up
        raise SiteNotFoundError(site, [], ", ".join(f"{s} ({n})" for s, n in sites.items()))
    if site in sites:
        return site
    key = str(site).strip().lower()
    for site_id, name in sites.items():
        if key == str(name).lower():
            return site_id
    try:
        muscle_id = atlas.find_muscle(site).name
    except LookupError:
        muscle_id = None
    if muscle_id:
        matches = [s for s, ms in zip(depths["site_id"], depths["muscle_ids"]) if muscle_id in ms]
        if matches:
            return matches[0]
    close = difflib.get_close_matches(key, [*sites, *map(str.lower, sites.values())], n=3, cutoff=0.4)
    listing = ", ".join(f"{s} ({n})" for s, n in sites.items())
    raise SiteNotFoundError(site, close, listing)
