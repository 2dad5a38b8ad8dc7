"""Point a fork of the course at its own repository: `make configure REPO=https://github.com/me/my-course`.

The repository URL is written in several places, and each has a reason to hold it:

- ``_config.yml`` ``repository.url``: the site's repository, issue and launch buttons;
- the setup cell (cell 1) of every notebook in ``lectures/`` and ``labs/``: on Colab it clones
  the course for ``utils`` (``REPO_URL = "..."``);
- ``intro.md`` and ``instructors.md``: the nbgitpuller link for a class JupyterHub
  (``?repo=...``, plus the folder the hub clones into, named after the repository);
- any other literal copy of the old URL in ``README.md``, ``intro.md`` or ``instructors.md``.

``--ref`` (``make configure REF=v2027.1``, or ``make pin`` for the checked-out tag or commit)
also sets ``COURSE_REF`` in every setup cell: the tag, branch or commit Colab fetches, so a
notebook saved from this release keeps meeting the ``utils`` it was written with.

The tool rewrites all of them, prints each change, and is idempotent (a second run changes
nothing). Only the standard library is used, so it runs before the course environment exists.
Notebooks are edited as text, so apart from the URL they stay byte-for-byte the same.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# https://host/owner/repo, optionally deeper (GitLab groups), no spaces, query or fragment
_URL = re.compile(r"https://([A-Za-z0-9.-]+\.[A-Za-z]{2,}|localhost)(:\d+)?"
                  r"(/[A-Za-z0-9._~-]+){2,}/?")
_BRANCH = re.compile(r"[A-Za-z0-9._/-]+")

# the places, each a regex whose group 1 is kept and group 2 is the URL
_CONFIG_URL = re.compile(r"(?m)^(repository:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+url:[ \t]*)(\S+)")
_CONFIG_BRANCH = re.compile(r"(?m)^(repository:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+branch:[ \t]*)(\S+)")
# in the notebook's JSON text the quotes around the URL are escaped: REPO_URL = \"...\"
_NOTEBOOK_URL = re.compile(r'(REPO_URL = \\")([^"\\]*)(?=\\")')
_NOTEBOOK_REF = re.compile(r'(COURSE_REF = \\")([^"\\]*)(?=\\")')
_REF = re.compile(r"[A-Za-z0-9._][A-Za-z0-9._/-]*")
_PULL_URL = re.compile(r"([?&]repo=)([^\s&)\"'`]+)")
_PULL_BRANCH = re.compile(r"([?&]branch=)([^\s&)\"'`]+)")
_PULL_PATH = re.compile(r"([?&]urlpath=(?:lab|tree|notebooks)/tree/)([^/\s&)\"'`]+)")


class ConfigureError(ValueError):
    """A repository URL or branch that the course cannot use."""


def normalise_url(url: str) -> str:
    """Check ``url`` and return it in the form the book uses (no trailing slash; no ``.git`` on GitHub)."""
    url = (url or "").strip()
    if not url:
        raise ConfigureError("no repository URL given: make configure REPO=https://github.com/OWNER/REPO")
    if not _URL.fullmatch(url):
        raise ConfigureError(
            f"not a repository URL: {url!r}. Expected https://github.com/OWNER/REPO "
            "(or another https git URL such as https://gitlab.com/GROUP/REPO); "
            "ssh (git@...) and http:// URLs do not work for Colab or nbgitpuller.")
    url = url.rstrip("/")
    if url.startswith("https://github.com/"):
        url = url.removesuffix(".git")
        if url.count("/") != 4:
            raise ConfigureError(f"a GitHub repository URL is https://github.com/OWNER/REPO, not {url!r}")
    return url


def repo_name(url: str) -> str:
    """The folder ``git clone`` (and nbgitpuller) creates for ``url``."""
    return url.rstrip("/").rsplit("/", 1)[1].removesuffix(".git")


def _sub(pattern: re.Pattern, new: str, text: str) -> tuple[str, int]:
    """Set group 2 (or the match after group 1) of every match of ``pattern`` to ``new``; count real changes."""
    changed = 0

    def put(match: re.Match) -> str:
        nonlocal changed
        if match.group(2) != new:
            changed += 1
        return match.group(1) + new

    return pattern.sub(put, text), changed


def _replace_literal(old: str, new: str, text: str) -> tuple[str, int]:
    """Replace the whole URL ``old`` (not a prefix of a longer URL) by ``new``."""
    if old == new:
        return text, 0
    pattern = re.compile(re.escape(old) + r"(?![A-Za-z0-9._~/-])")
    return pattern.subn(new.replace("\\", r"\\"), text)


def current_url(root: Path) -> str:
    match = _CONFIG_URL.search((root / "_config.yml").read_text())
    if not match:
        raise ConfigureError(f"{root / '_config.yml'} has no repository.url to rewrite")
    return match.group(2)


def plan(root: Path, url: str, branch: str | None = None,
         ref: str | None = None) -> dict[Path, tuple[str, int]]:
    """The new text of every file that changes, with the number of places changed in it."""
    old = current_url(root)
    changes: dict[Path, tuple[str, int]] = {}

    def edit(path: Path, *steps):
        if not path.exists():
            return
        text = original = path.read_text()
        count = 0
        for step in steps:
            text, n = step(text)
            count += n
        if text != original:
            changes[path] = (text, count)

    config_steps = [lambda t: _sub(_CONFIG_URL, url, t)]
    if branch:
        config_steps.append(lambda t: _sub(_CONFIG_BRANCH, branch, t))
    edit(root / "_config.yml", *config_steps)

    notebooks = sorted((root / "lectures").glob("*.ipynb")) + sorted((root / "labs").glob("*.ipynb"))
    for nb in notebooks:
        steps = [lambda t: _sub(_NOTEBOOK_URL, url, t)]
        if ref:
            steps.append(lambda t: _sub(_NOTEBOOK_REF, ref, t))
        edit(nb, *steps)

    pages = [lambda t: _sub(_PULL_URL, url, t),
             lambda t: _sub(_PULL_PATH, repo_name(url), t),
             lambda t: _replace_literal(old, url, t)]
    if branch:
        pages.append(lambda t: _sub(_PULL_BRANCH, branch, t))
    for page in ("intro.md", "instructors.md"):
        edit(root / page, *pages)
    edit(root / "README.md", lambda t: _replace_literal(old, url, t))
    return changes


def configure(root: Path, url: str | None, branch: str | None = None, dry_run: bool = False,
              ref: str | None = None) -> list[str]:
    """Rewrite the repository URL (and optionally the branch and the ref Colab fetches)
    everywhere; return one line per changed file. Without a URL but with ``ref``, the URL
    stays the current one."""
    if not (url or "").strip() and ref:
        url = current_url(root)
    url = normalise_url(url)
    if branch is not None and not _BRANCH.fullmatch(branch):
        raise ConfigureError(f"not a branch name: {branch!r}")
    if ref is not None and not _REF.fullmatch(ref):
        raise ConfigureError(f"not a tag, branch or commit: {ref!r}")
    report = []
    for path, (text, count) in plan(root, url, branch, ref).items():
        if not dry_run:
            path.write_text(text)
        report.append(f"{path.relative_to(root)}: {count} place{'s' if count != 1 else ''}")
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", default="", help="https://github.com/OWNER/REPO of your fork")
    parser.add_argument("--ref", default=None,
                        help="tag, branch or commit the setup cells fetch on Colab (default: keep)")
    parser.add_argument("--branch", default=None, help="branch the site and the hub link use (default: keep)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the course checkout (default: this one)")
    parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    args = parser.parse_args(argv)
    try:
        report = configure(args.root, args.repo, args.branch, args.dry_run, args.ref)
    except ConfigureError as error:
        print(f"configure: {error}", file=sys.stderr)
        return 2
    url = normalise_url(args.repo or current_url(args.root))
    if not report:
        print(f"configure: every place already names {url}"
              + (f" and {args.ref}" if args.ref else "") + "; nothing changed")
        return 0
    verb = "would update" if args.dry_run else "updated"
    print(f"configure: {verb} the repository URL to {url}"
          + (f" and the release Colab fetches to {args.ref}" if args.ref else "") + " in")
    for line in report:
        print(f"  {line}")
    if not url.startswith("https://github.com/"):
        print("configure: note: the book's Colab button and repository buttons work with GitHub only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
