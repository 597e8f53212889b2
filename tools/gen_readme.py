#!/usr/bin/env python3
"""README.rst and static/description/index.html of each addon, from its
readme/*.md fragments, laid out as OCA's oca-gen-addon-readme does (that tool,
from OCA/maintainer-tools, is not on PyPI).

    python3 tools/gen_readme.py            # (re)write them; what pre-commit runs
    python3 tools/gen_readme.py --check    # fail when one is out of date

Fragments (Markdown): DESCRIPTION.md, CONFIGURE.md, USAGE.md, CONTRIBUTORS.md
(and, when present, INSTALL.md, ROADMAP.md, CREDITS.md). Screenshots: every
static/description/screenshot_*.png of the addon is shown in "Usage", where
USAGE.md has a line ``{screenshots}`` (else at its end), in file-name order, so
that adding a screenshot and regenerating is enough. index.html also shows the
addon's icon (static/description/icon.png).

The Markdown understood is what the fragments use: paragraphs, "## " headings,
"* " / "- " / "1. " lists (indented continuation lines), ``` code blocks,
`code`, **bold**, *italic*, [links](url) and ![images](path).
"""

import argparse
import ast
import hashlib
import re
import sys
from pathlib import Path

from docutils.core import publish_string

ROOT = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent.name for p in ROOT.glob("*/__manifest__.py"))
SECTIONS = [
    ("INSTALL.md", "Installation"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
]
LICENSES = {
    "LGPL-3": ("LGPL--3", "http://www.gnu.org/licenses/lgpl-3.0-standalone.html"),
    "AGPL-3": ("AGPL--3", "http://www.gnu.org/licenses/agpl-3.0-standalone.html"),
    "GPL-3": ("GPL--3", "http://www.gnu.org/licenses/gpl-3.0-standalone.html"),
    "OPL-1": ("OPL--1", "https://www.odoo.com/documentation/master/legal/licenses.html"),
}
MATURITY = {
    "alpha": "red",
    "beta": "yellow",
    "production/stable": "green",
    "mature": "brightgreen",
}
SCREENSHOTS = "{screenshots}"


# --- Markdown (the fragments' subset) to reStructuredText ---------------------
def _inline(text):
    text = re.sub(r"!\[([^\]]*)\]\(([^)]+)\)", r"|img:\2|", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`__", text)
    text = re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", text)
    text = re.sub(r"(?<![*\w])\*([^*\s][^*]*?)\*(?![*\w])", r"*\1*", text)
    return text


def md_to_rst(md, image_prefix):
    """``image_prefix``: where the addon's images are, from the output file."""
    out, lines, i = [], md.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            block = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                block.append(lines[i])
                i += 1
            i += 1
            lang = line[3:].strip()
            out += [f".. code-block:: {lang}" if lang else "::", ""]
            out += [f"    {b}" if b else "" for b in block]
            out.append("")
            continue
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        if heading:
            title = _inline(heading.group(2).strip())
            out += [title, "~" * len(title), ""]
            i += 1
            continue
        image = re.match(r"^!\[([^\]]*)\]\(([^)]+)\)\s*$", line)
        if image:
            out += [f".. image:: {image_prefix}{image.group(2)}", f"   :alt: {image.group(1)}", ""]
            i += 1
            continue
        out.append(_inline(line))
        i += 1
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# --- one addon ------------------------------------------------------------
def _screenshots_md(addon_dir):
    shots = sorted((addon_dir / "static/description").glob("screenshot_*.png"))
    parts = []
    for shot in shots:
        alt = re.sub(r"^\d+\s*", "", shot.stem[len("screenshot_") :].replace("_", " ")) or shot.stem
        parts.append(f"![{alt}]({shot.name})")
    return "\n\n".join(parts)


def fragments(addon_dir):
    readme = addon_dir / "readme"
    found = {}
    for name in ("DESCRIPTION.md", "CONTRIBUTORS.md", "CREDITS.md", *[s for s, _ in SECTIONS]):
        path = readme / name
        if path.exists():
            found[name] = path.read_text()
    usage = found.get("USAGE.md", "")
    shots = _screenshots_md(addon_dir)
    if SCREENSHOTS in usage:
        usage = usage.replace(SCREENSHOTS, shots)
    elif shots:
        usage = usage.rstrip() + "\n\n" + shots + "\n"
    if usage.strip():
        found["USAGE.md"] = usage
    return found


def _title(text, char, over=False):
    rule = char * len(text)
    return [rule, text, rule, ""] if over else [text, rule, ""]


def render_rst(addon, image_prefix):
    addon_dir = ROOT / addon
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text())
    parts = fragments(addon_dir)
    digest = hashlib.sha256()
    for name in sorted(parts):
        digest.update(name.encode() + b"\0" + parts[name].encode() + b"\0")
    digest.update(repr(sorted(manifest.items())).encode())
    maturity = manifest.get("development_status", "Beta")
    license_badge, license_url = LICENSES.get(manifest["license"], (manifest["license"], ""))
    website = manifest.get("website", "")
    lines = _title(manifest["name"], "=", over=True)
    lines += [
        "..",
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "   !! This file is generated by tools/gen_readme.py  !!",
        "   !! (from readme/*.md): changes will be overwritten !!",
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        f"   !! source digest: sha256:{digest.hexdigest()}",
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "",
        ".. |badge1| image:: https://img.shields.io/badge/maturity-"
        f"{maturity.replace('/', '%2F')}-{MATURITY.get(maturity.lower(), 'yellow')}.png",
        "    :target: https://odoo-community.org/page/development-status",
        f"    :alt: {maturity}",
        f".. |badge2| image:: https://img.shields.io/badge/licence-{license_badge}-blue.png",
        f"    :target: {license_url}",
        f"    :alt: License: {manifest['license']}",
        ".. |badge3| image:: https://img.shields.io/badge/github-"
        f"{addon.replace('_', '__')}-lightgray.png?logo=github",
        f"    :target: {website}",
        f"    :alt: {addon}",
        "",
        "|badge1| |badge2| |badge3|",
        "",
    ]
    lines.append(md_to_rst(parts.get("DESCRIPTION.md", manifest.get("summary", "")), image_prefix))
    lines += ["**Table of contents**", "", ".. contents::", "   :local:", ""]
    for fragment, title in SECTIONS:
        if fragment in parts:
            lines += _title(title, "=")
            lines.append(md_to_rst(parts[fragment], image_prefix))
    lines += _title("Bug Tracker", "=")
    lines += [
        f"Bugs are tracked on `GitHub Issues <{website}/issues>`_. In case of trouble, please",
        "check there if your issue has already been reported. If you spotted it first,",
        "help us to smash it by providing a detailed and welcomed feedback.",
        "",
    ]
    lines += _title("Credits", "=")
    lines += _title("Authors", "-")
    lines += [f"* {author.strip()}" for author in manifest["author"].split(",")] + [""]
    if "CONTRIBUTORS.md" in parts:
        lines += _title("Contributors", "-")
        lines.append(md_to_rst(parts["CONTRIBUTORS.md"], image_prefix))
    if "CREDITS.md" in parts:
        lines += _title("Other credits", "-")
        lines.append(md_to_rst(parts["CREDITS.md"], image_prefix))
    lines += _title("Maintainers", "-")
    maintainers = manifest.get("maintainers", [])
    if maintainers:
        lines.append(
            "Current maintainers: "
            + " ".join(f"`{m} <https://github.com/{m}>`__" for m in maintainers)
        )
        lines.append("")
    lines.append(
        f"This module is part of the `{addon} <{website}/tree/18.0/{addon}>`_ project on GitHub."
    )
    lines.append("")
    lines.append("You are welcome to contribute.")
    text = "\n".join(lines) + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)


def render_html(addon):
    rst = render_rst(addon, image_prefix="")
    icon = ROOT / addon / "static/description/icon.png"
    if icon.exists():
        # the icon above the title, as on the Apps page
        rst = f".. image:: icon.png\n   :alt: {addon}\n   :width: 80px\n\n" + rst
    html = publish_string(
        rst,
        writer_name="html5",
        settings_overrides={
            "embed_stylesheet": False,
            "stylesheet_path": "",
            "report_level": 4,
            "halt_level": 5,
            "output_encoding": "unicode",
            "_disable_config": True,
        },
    )
    return html if html.endswith("\n") else html + "\n"


def outputs(addon):
    return {
        ROOT / addon / "README.rst": render_rst(addon, image_prefix="static/description/"),
        ROOT / addon / "static/description/index.html": render_html(addon),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a file is out of date")
    parser.add_argument("addons", nargs="*", default=ADDONS)
    args = parser.parse_args()
    stale = []
    for addon in args.addons:
        if not (ROOT / addon / "readme").is_dir():
            continue
        for path, text in outputs(addon).items():
            if path.exists() and path.read_text() == text:
                continue
            stale.append(path.relative_to(ROOT))
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    if stale:
        verb = "out of date" if args.check else "regenerated"
        print(f"{verb}: " + ", ".join(map(str, stale)), file=sys.stderr)
        if args.check:
            print("run: python3 tools/gen_readme.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
