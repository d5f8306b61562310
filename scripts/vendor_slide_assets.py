"""Re-vendor the slide assets of dnviz's ``dnviz-slides`` Voila template from the npm registry.

The slides must work in a classroom without internet, so the few files that Voila's reveal template
would fetch from CDNs live in the repository (and the wheel) under
``dnviz/slides/voila/templates/dnviz-slides/static/``. This script is how they got there, and how to
update them: it runs ``npm pack NAME@VERSION`` for each package below, checks the tarball against
the registry's integrity hash, copies the listed files and rewrites ``static/ASSETS.md`` (package,
version, license, file, SHA-256). ``tests/test_slide_assets.py`` checks the files against that table.

Why these versions: Voila 0.5's own ``reveal.js`` bundle is reveal.js 6.0.1, so its style sheet comes
from the same release; Voila asks for Font Awesome ``^5`` (5.15.4 is the last 5.x) and jQuery for its
scroll option (3.7.1). The reveal.js themes are not vendored (``white.css`` alone is 575 KB of
embedded fonts); ``static/reveal/dist/theme/dnviz.css`` is dnviz's own small theme.

Usage (needs ``npm``; run from the repository root): ``python scripts/vendor_slide_assets.py``
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "dnviz" / "slides" / "voila" / "templates" / "dnviz-slides" / "static"
# package, version, license, {file in the tarball's package/ folder: destination under static/}
PACKAGES = [
    ("reveal.js", "6.0.1", "MIT", {"dist/reveal.css": "reveal/dist/reveal.css", "LICENSE": "reveal/LICENSE"}),
    ("jquery", "3.7.1", "MIT", {"dist/jquery.min.js": "jquery/jquery.min.js", "LICENSE.txt": "jquery/LICENSE.txt"}),
    (
        "@fortawesome/fontawesome-free",
        "5.15.4",
        "icons CC BY 4.0, fonts SIL OFL 1.1, code MIT",
        {
            "css/all.min.css": "fontawesome/css/all.min.css",
            "css/v4-shims.min.css": "fontawesome/css/v4-shims.min.css",
            "webfonts/fa-solid-900.woff2": "fontawesome/webfonts/fa-solid-900.woff2",
            "webfonts/fa-regular-400.woff2": "fontawesome/webfonts/fa-regular-400.woff2",
            "LICENSE.txt": "fontawesome/LICENSE.txt",
        },
    ),
]
HEADER = """# Slide assets (vendored)

Served by the `dnviz-slides` Voila template instead of the CDN copies that Voila's reveal template
asks for, so that `make slides` works offline. Fetched from the npm registry with
`python scripts/vendor_slide_assets.py` (which checks each tarball's integrity hash); checked by
`tests/test_slide_assets.py`. Written for dnviz: `reveal/dist/theme/dnviz.css`, `dnviz-slides.css`.

| package | version | license | file | sha256 |
|---|---|---|---|---|
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pack(name: str, version: str, workdir: Path) -> Path:
    """``npm pack`` one package into ``workdir``, verify its integrity, return the extracted package folder."""
    out = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--json"], cwd=workdir, check=True, capture_output=True, text=True
    )
    info = json.loads(out.stdout)[0]
    tarball = workdir / info["filename"]
    algo, digest = info["integrity"].split("-", 1)
    if base64.b64encode(hashlib.new(algo, tarball.read_bytes()).digest()).decode() != digest:
        raise SystemExit(f"{tarball.name}: integrity check failed (expected {info['integrity']})")
    dest = workdir / name.replace("/", "+")
    with tarfile.open(tarball) as tar:
        tar.extractall(dest, filter="data")
    return dest / "package"


def main() -> int:
    if shutil.which("npm") is None:
        print("npm is needed to re-vendor the slide assets (Debian: apt-get install npm).", file=sys.stderr)
        return 1
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, version, license_, files in PACKAGES:
            package = pack(name, version, Path(tmp))
            for src, dst in files.items():
                target = STATIC / dst
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(package / src, target)
                rows.append(f"| {name} | {version} | {license_} | `{dst}` | `{sha256(target)}` |")
    (STATIC / "ASSETS.md").write_text(HEADER + "\n".join(rows) + "\n")
    print(f"wrote {len(rows)} files and {STATIC.relative_to(ROOT) / 'ASSETS.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
