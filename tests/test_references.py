"""Citations and glossary links: every paper a page names is cited, every term links somewhere.

Static checks (no execution), written for every lecture present and future:

1. every "et al." in a markdown cell of a lecture (and in a paragraph of intro.md) has a
   {cite} role in the same cell or paragraph;
2. every cited key ({cite}`a,b`, {cite:p}`...`, {cite:t}`...`) exists in references.bib, and
   references.bib defines no key twice;
3. every term of every {glossary} block of glossary.md is linked by a {term} role from a lecture;
4. every {term} role (lectures, intro.md, glossary.md) refers to a defined term.

Term matching follows Sphinx: {term}`Term` or {term}`text <Term>`, whitespace collapsed,
and case-insensitive.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LECTURES = sorted((ROOT / "lectures").glob("*.ipynb"))

ET_AL = re.compile(r"\bet\s+al\.")
CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")
TERM_ROLE = re.compile(r"\{term\}`([^`]*)`")
EXPLICIT_TARGET = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)
BIB_ENTRY = re.compile(r"^\s*@(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.M)
GLOSSARY_BLOCK = re.compile(r"^(?P<fence>```+|:::+)\{glossary\}[^\n]*\n(?P<body>.*?)^(?P=fence)\s*$",
                            re.M | re.S)


def _markdown_cells(path):
    """(label, text) for every markdown cell of a notebook."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(f"{path.name} cell {i}", "".join(c["source"]))
            for i, c in enumerate(cells) if c["cell_type"] == "markdown"]


def _paragraphs(path):
    """(label, text) for every blank-line-separated paragraph of a Markdown file."""
    text = path.read_text(encoding="utf-8")
    return [(f"{path.name} paragraph {i}", p) for i, p in enumerate(re.split(r"\n\s*\n", text))
            if p.strip()]


def _pages():
    """The units in which a citation must sit next to its "et al.": lecture cells, intro paragraphs."""
    units = [unit for path in LECTURES for unit in _markdown_cells(path)]
    return units + _paragraphs(ROOT / "intro.md")


def _cited_texts():
    """Everything the book renders that may cite: lecture markdown and the Markdown pages."""
    texts = [unit for path in LECTURES for unit in _markdown_cells(path)]
    texts += [(p.name, p.read_text(encoding="utf-8")) for p in sorted(ROOT.glob("*.md"))]
    return texts


def bib_keys(text):
    """The entry keys of a BibTeX file in order (@comment, @string and @preamble skipped)."""
    return [key for kind, key in BIB_ENTRY.findall(text)
            if kind.lower() not in ("comment", "string", "preamble")]


def cited_keys(text):
    """The keys of every {cite}, {cite:p}, {cite:t}... role in `text`."""
    return [key.strip() for group in CITE_ROLE.findall(text) for key in group.split(",") if key.strip()]


def _normalise(term):
    return re.sub(r"\s+", " ", term).strip().lower()


def glossary_terms(text):
    """The terms of every {glossary} block: unindented lines before an indented definition."""
    terms = []
    for block in GLOSSARY_BLOCK.finditer(text):
        for line in block.group("body").splitlines():
            if not line.strip() or line[0].isspace() or line.lstrip().startswith(":"):
                continue  # blank, definition or option (:sorted:)
            terms.append(line.split(" : ")[0].strip())  # "term : classifier"
    return terms


def term_targets(text):
    """The glossary term each {term} role points at: `Term` or `text <Term>`."""
    targets = []
    for content in TERM_ROLE.findall(text):
        explicit = EXPLICIT_TARGET.match(content)
        targets.append(explicit.group(2) if explicit else content)
    return targets


GLOSSARY = (ROOT / "glossary.md").read_text(encoding="utf-8")
BIB = (ROOT / "references.bib").read_text(encoding="utf-8")


# ---- the parsers themselves ------------------------------------------------------------------

def test_parsers_on_examples():
    assert cited_keys("A {cite}`a2020x,b2021y` and {cite:p}`c2019z` and {cite:t}` d2018w `") == [
        "a2020x", "b2021y", "c2019z", "d2018w"]
    assert term_targets("{term}`GANs <Generator>` and {term}`latent vector`") == [
        "Generator", "latent vector"]
    sample = "```{glossary}\n:sorted:\nTerm one\nAlias\n  Defined.\n\nTerm two : cls\n  Too.\n```\n"
    assert glossary_terms(sample) == ["Term one", "Alias", "Term two"]
    assert bib_keys("@comment{x}\n@article{k1,\n title={a}}\n @misc{ k2 ,\n}") == ["k1", "k2"]
    assert ET_AL.search("Radford et al. {cite}`r`") and not ET_AL.search("metal.")


# ---- 1. every "et al." is cited where it is named --------------------------------------------

def test_lectures_exist():
    assert LECTURES, "no lectures found"


PAGES = _pages()


@pytest.mark.parametrize("label,text", PAGES, ids=[label for label, _ in PAGES])
def test_et_al_has_a_citation_in_the_same_cell(label, text):
    if ET_AL.search(text):
        assert CITE_ROLE.search(text), (f"{label} names a paper ('et al.') without a "
                                        f"{{cite}}`key` role in the same cell or paragraph")


# ---- 2. cited keys exist, bib keys are unique ------------------------------------------------

def test_references_bib_has_no_duplicate_keys():
    keys = bib_keys(BIB)
    assert keys, "references.bib has no entries"
    seen, duplicates = set(), []
    for key in keys:  # BibTeX keys are matched case-insensitively
        if key.lower() in seen:
            duplicates.append(key)
        seen.add(key.lower())
    assert not duplicates, f"references.bib defines these keys more than once: {duplicates}"


def test_every_cited_key_is_in_references_bib():
    known = {key.lower() for key in bib_keys(BIB)}
    missing = sorted({f"{label}: {key}" for label, text in _cited_texts()
                      for key in cited_keys(text) if key.lower() not in known})
    assert not missing, f"cited but not in references.bib: {missing}"


# ---- 3. and 4. glossary terms and {term} roles -----------------------------------------------

def test_glossary_has_terms_and_no_duplicates():
    terms = [_normalise(t) for t in glossary_terms(GLOSSARY)]
    assert terms, "glossary.md has no {glossary} block with terms"
    duplicates = sorted({t for t in terms if terms.count(t) > 1})
    assert not duplicates, f"glossary terms defined twice: {duplicates}"


def test_every_glossary_term_is_linked_from_a_lecture():
    used = {_normalise(t) for path in LECTURES for _, text in _markdown_cells(path)
            for t in term_targets(text)}
    unused = [t for t in glossary_terms(GLOSSARY) if _normalise(t) not in used]
    assert not unused, f"glossary terms no lecture links with {{term}}: {unused}"


def test_every_term_role_refers_to_a_glossary_term():
    defined = {_normalise(t) for t in glossary_terms(GLOSSARY)}
    undefined = sorted({f"{label}: {target!r}" for label, text in _cited_texts()
                        for target in term_targets(text) if _normalise(target) not in defined})
    assert not undefined, f"{{term}} roles without a glossary entry: {undefined}"
