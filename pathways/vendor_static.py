"""Of the npm packages' files, only those the site uses are static files.

Bootstrap's dist folder and the font package hold dozens of variants (RTL, grid-only,
source maps, fourteen font weights); collecting and compressing all of them made every
`collectstatic` take well over a minute. Add a file here when a template starts using it.
"""

from __future__ import annotations

from django.contrib.staticfiles.finders import FileSystemFinder

USED_VENDOR_FILES = frozenset(
    {
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/bootstrap/css/bootstrap.min.css.map",  # named inside the CSS file
        # The PDF's four faces (static/pdf/program.css).
        "vendor/source-sans/SourceSans3-Regular.ttf",
        "vendor/source-sans/SourceSans3-It.ttf",
        "vendor/source-sans/SourceSans3-Semibold.ttf",
        "vendor/source-sans/SourceSans3-Bold.ttf",
    }
)


def published(path: str) -> bool:
    return not path.startswith("vendor/") or path in USED_VENDOR_FILES


class UsedFilesFinder(FileSystemFinder):
    """STATICFILES_DIRS as Django's finder reads them, without the vendor files we don't use."""

    def find(self, path, find_all=False, **kwargs):
        if not published(path):
            return []  # as FileSystemFinder answers "not here"
        return super().find(path, find_all=find_all, **kwargs)

    def list(self, ignore_patterns):
        for path, storage in super().list(ignore_patterns):
            full = f"{storage.prefix}/{path}" if getattr(storage, "prefix", None) else path
            if published(full):
                yield path, storage
