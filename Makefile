# Advanced Convolutional Models: build the book, run the tests, open JupyterLab.
# Every target creates the virtual environment in .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
# unattended runs show no progress bars (nobody watches them; each epoch prints a line)
RUN    := COURSE_PROGRESS=off PYTHONHASHSEED=0

.PHONY: help install book test lab figures timings bench clean configure labs student
help:
	@echo "make book     build the site into _build/html (executes every lecture)"
	@echo "make test     unit tests + every lecture (smoke profile) + book build, warnings as errors"
	@echo "make lab      open JupyterLab on the lectures"
	@echo "make figures  redraw the diagrams and animations in images/"
	@echo "make timings  time every lecture in the smoke and cpu profiles (writes timings.md)"
	@echo "make bench    DCGAN throughput: original per-batch pipeline vs cached tensors"
	@echo "make clean    remove builds and caches (keeps .venv and data/)"
	@echo "make configure REPO=https://github.com/OWNER/REPO  point a fork at its own repository"
	@echo "make labs     student notebooks and autograder zips of labs/ in _build/labs"
	@echo "make student  the student edition of the site (no solutions) in _build/student/html"

install: $(STAMP)
$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

# The jupyter cache keys on code, not on COURSE_PROFILE: drop it when the profile changes,
# so a `cpu` build never serves outputs executed in `smoke` (or the other way round).
book: $(STAMP)
	@profile=$$($(BIN)/python -c "from utils import get_profile; print(get_profile())") || exit 1; \
	if [ "$$(cat _build/.profile 2>/dev/null)" != "$$profile" ]; then rm -rf _build/.jupyter_cache; fi; \
	mkdir -p _build && echo $$profile > _build/.profile; \
	echo "building the book in the '$$profile' profile"; \
	$(RUN) COURSE_PROFILE=$$profile $(BIN)/jupyter-book build . -W -n --keep-going
	@echo "open _build/html/index.html"

test: $(STAMP)
	$(RUN) COURSE_PROFILE=smoke $(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab lectures/

figures: $(STAMP)
	$(BIN)/python -m utils.figures

# PROFILES="smoke cpu full" on a GPU machine adds the full column
PROFILES ?= smoke cpu
timings: $(STAMP)
	$(BIN)/python benchmarks/timings.py --profiles $(PROFILES) --keep _build/timings

BENCH_ARGS ?= --size 32 --channels 32 --steps 40
bench: $(STAMP)
	$(BIN)/python benchmarks/dcgan_throughput.py $(BENCH_ARGS)

clean:
	rm -rf _build .pytest_cache
	find . -name __pycache__ -not -path "./.venv/*" -prune -exec rm -rf {} +

# ---- teaching a class (instructors.md) ----
# stdlib only: runs before the environment exists
configure:
	$(PYTHON) tools/configure.py --repo "$(REPO)" $(if $(BRANCH),--branch "$(BRANCH)")

labs: $(STAMP)
	$(RUN) COURSE_PROFILE=smoke $(BIN)/python tools/labs.py --out _build/labs

student: $(STAMP)
	$(RUN) $(BIN)/python tools/student_edition.py --out _build/student
