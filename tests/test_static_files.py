"""Every static file a template or stylesheet names is found; the npm packages' other files
are not published (pathways/vendor_static.py)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

ROOT = Path(settings.BASE_DIR)


def named_in_templates() -> set[str]:
    names = set()
    for folder in (ROOT / "templates", ROOT / "pathways"):
        for template in folder.rglob("*.html"):
            names.update(re.findall(r"""\{%\s*static\s+['"]([^'"]+)['"]""", template.read_text()))
    return names


def named_in_stylesheets() -> set[str]:
    names = set()
    for sheet in (ROOT / "static").rglob("*.css"):
        for url in re.findall(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""", sheet.read_text()):
            if not url.startswith(("data:", "http", "#")):
                target = (sheet.parent / url).resolve().relative_to((ROOT / "static").resolve())
                names.add(target.as_posix())
    return names


def test_every_named_static_file_is_found():
    named = named_in_templates() | named_in_stylesheets()
    assert "vendor/bootstrap/css/bootstrap.min.css" in named
    assert "vendor/source-sans/SourceSans3-Bold.ttf" in named
    assert [name for name in sorted(named) if finders.find(name) is None] == []


def test_unused_package_files_are_not_published():
    assert finders.find("vendor/bootstrap/js/bootstrap.bundle.min.js") is None
    assert finders.find("vendor/source-sans/SourceSans3-Black.ttf") is None
    listed = {
        path for finder in finders.get_finders() for path, _storage in finder.list(["*.scss"])
    }
    assert "bootstrap.rtl.css" not in {Path(p).name for p in listed}
