"""Self-check questions: multiple choice with immediate feedback, on the page, offline.

Each lecture ends its main text with a few questions on its concepts::

    from utils.selfcheck import Question, self_check

    self_check([
        Question("What does the encoder of a VAE output for one image?",
                 ["One code vector", "A mean and a log-variance per latent dimension"],
                 answer=1,
                 why=["That is what a plain autoencoder's encoder outputs.",
                      "The two vectors describe a normal distribution over codes."]),
    ])

Picking an option shows at once whether it is right and why (``why`` holds one explanation per
option). The questions are plain HTML with radio buttons, so they work with the keyboard (Tab to
a question, arrow keys to move between its options) and are announced by screen readers. The
feedback needs no server and no network: a one-line ``onchange`` handler fills it in, in the
built site, in JupyterLab and in Colab. Printed, or shown as text, the questions appear without
their answers.
"""
from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass

RIGHT, WRONG = "Right.", "Not this one."
MIN_OPTIONS, MAX_OPTIONS = 2, 5
_CODE = re.compile(r"`([^`]+)`")

# Fills the question's feedback line with the picked option's verdict and explanation; inline, so
# that it runs wherever the HTML is shown (a <script> tag is not run everywhere).
_ONCHANGE = ("var f=this.closest('fieldset').querySelector('.self-check-feedback');"
             "f.textContent=this.getAttribute('data-feedback');"
             "f.setAttribute('data-verdict',this.getAttribute('data-verdict'));")
# Colours come from the page (site theme, JupyterLab theme, light or dark): only borders are tinted.
_STYLE = """<style>
.self-check fieldset { border: 1px solid rgba(128, 128, 128, 0.5); border-radius: 6px;
  margin: 0 0 0.8em 0; padding: 0.4em 0.9em 0.6em 0.9em; }
.self-check legend { font-size: 1em; line-height: 1.4; font-weight: 600; padding: 0 0.3em;
  margin: 0 0 0.3em 0; float: none; width: auto; white-space: normal; }
.self-check .self-check-option { display: flex; align-items: baseline; gap: 0.5em; margin: 0.2em 0; }
.self-check .self-check-option input { flex: none; }
.self-check .self-check-option label { cursor: pointer; }
.self-check .self-check-feedback { margin: 0.4em 0 0 0; padding-left: 0.6em; min-height: 1.2em;
  border-left: 4px solid transparent; }
.self-check .self-check-feedback[data-verdict="right"] { border-left-color: #2e7d32; }
.self-check .self-check-feedback[data-verdict="wrong"] { border-left-color: #c62828; }
@media print { .self-check .self-check-feedback, .self-check .self-check-intro { display: none; } }
</style>"""


def _inline(text: str) -> str:
    """Escape ``text`` for HTML; `backticks` become <code>."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text, quote=False))


@dataclass(frozen=True)
class Question:
    """One multiple-choice question: the options, the index of the right one, and for every
    option a sentence saying why it is right or wrong."""
    text: str
    options: list[str]
    answer: int
    why: list[str]

    def __post_init__(self):
        where = f"Question {self.text[:60]!r}"
        if not isinstance(self.text, str) or not self.text.strip():
            raise ValueError("A Question needs its text, e.g. Question('What does ...?', [...], answer=0, why=[...]).")
        if not isinstance(self.options, (list, tuple)) or not all(
                isinstance(o, str) and o.strip() for o in self.options):
            raise ValueError(f"{where}: options must be a list of non-empty strings.")
        if not MIN_OPTIONS <= len(self.options) <= MAX_OPTIONS:
            raise ValueError(f"{where}: give {MIN_OPTIONS}-{MAX_OPTIONS} options; got {len(self.options)}.")
        if len(set(self.options)) != len(self.options):
            raise ValueError(f"{where}: two options have the same text.")
        if isinstance(self.answer, bool) or not isinstance(self.answer, int) \
                or not 0 <= self.answer < len(self.options):
            raise ValueError(f"{where}: answer is the index of the right option, 0-{len(self.options) - 1}; "
                             f"got {self.answer!r}.")
        if len(self.why) != len(self.options) or not all(isinstance(w, str) and w.strip() for w in self.why):
            raise ValueError(f"{where}: why needs one explanation per option ({len(self.options)}), "
                             f"saying why it is right or wrong; got {len(self.why)}.")


class SelfCheck:
    """The questions of one lecture, shown as HTML in a notebook or on the site and as plain text
    elsewhere (without the answers)."""

    def __init__(self, questions):
        questions = list(questions)
        if not questions or not all(isinstance(q, Question) for q in questions):
            raise ValueError("self_check takes a list of Question(...) objects, at least one.")
        self.questions = questions
        # stable ids: the same questions give the same page, however often it is built
        digest = hashlib.sha1("\n".join(q.text for q in questions).encode()).hexdigest()[:8]
        self.key = f"self-check-{digest}"

    def _question_html(self, number: int, q: Question) -> str:
        name = f"{self.key}-{number}"
        rows = []
        for k, (option, why) in enumerate(zip(q.options, q.why)):
            right = k == q.answer
            feedback = f"{RIGHT if right else WRONG} {why}"
            rows.append(
                f'<div class="self-check-option"><input type="radio" name="{name}" id="{name}-{k}" '
                f'data-verdict="{"right" if right else "wrong"}" '
                f'data-feedback="{html.escape(feedback, quote=True)}" onchange="{_ONCHANGE}">'
                f'<label for="{name}-{k}">{_inline(option)}</label></div>')
        return (f'<fieldset><legend>{number}. {_inline(q.text)}</legend>{"".join(rows)}'
                f'<p class="self-check-feedback" role="status" aria-live="polite"></p></fieldset>')

    def _repr_html_(self) -> str:
        body = "".join(self._question_html(n, q) for n, q in enumerate(self.questions, start=1))
        return (f'{_STYLE}<div class="self-check" id="{self.key}"><p class="self-check-intro">'
                f'Pick an answer to each question: you see at once whether it is right, and why.'
                f'</p>{body}</div>')

    def __repr__(self) -> str:
        lines = ["Check yourself (the answers show in JupyterLab, Colab or the course's site):"]
        for n, q in enumerate(self.questions, start=1):
            lines.append(f"{n}. {q.text}")
            lines += [f"   {chr(ord('a') + k)}) {option}" for k, option in enumerate(q.options)]
        return "\n".join(lines)


def self_check(questions) -> SelfCheck:
    """The lecture's self-check questions; the notebook shows the returned object (last line of a cell)."""
    return SelfCheck(questions)


__all__ = ["Question", "SelfCheck", "self_check"]
