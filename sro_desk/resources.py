"""Finding the files in ``resources/`` from a checkout, an install or a built bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


#: The order the standard languages are listed in; any other language file follows.
STANDARD_LANGUAGES = ("en", "es", "pt", "ht", "vi", "zh")
#: Languages by code, for choosing a form's language or a complainant's (a complainant's
#: preferred language may be any other, typed, and is stored by its English name).
LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "pt": "Portuguese", "ht": "Haitian Creole", "vi": "Vietnamese",
    "zh": "Chinese", "kea": "Cape Verdean Creole", "ar": "Arabic",
}


def language_name(language: str) -> str:
    """The English name of a listed language (given by code or name), else as typed."""
    text = language.strip()
    for code, name in LANGUAGE_NAMES.items():
        if text.lower() in (code, name.lower()):
            return name
    return text


def form_languages(folder: str, stem: str) -> list[str]:
    """Language codes with a ``<stem>.<code>.json`` file in ``resources/<folder>``: a
    district adds a language by adding a file."""
    found = {p.name[len(stem) + 1 : -len(".json")] for p in resources_dir().joinpath(folder).glob(f"{stem}.*.json")}
    return [c for c in STANDARD_LANGUAGES if c in found] + sorted(found - set(STANDARD_LANGUAGES))


def read_form_text(folder: str, stem: str, language: str, what: str) -> dict:
    """The text of a form or letter in ``language``, or SroDeskError listing the languages."""
    import json

    from sro_desk.errors import SroDeskError

    code = str(language).strip().lower()
    available = form_languages(folder, stem)
    if code not in available:
        raise SroDeskError(
            f"There is no {what} in '{language}'; the languages there are: {', '.join(available)}."
        )
    try:
        return json.loads(resource_path(folder, f"{stem}.{code}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SroDeskError(f"The {what} in '{code}' cannot be read ({exc}); correct or replace its file.") from None
