# Advanced Convolutional Models: build the book, run the tests, open JupyterLab.
# Every target creates the virtual environment $(VENV) (default .venv) on first use, with
# $(PYTHON): any Python 3.10-3.13 (`make test PYTHON=/usr/bin/python3 VENV=.venv-debian`).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# `make install` installs the lock file (exact, tested versions) with pip; `make lock` refreshes
# it from the ranges in requirements.txt (uv, for every Python and platform at once).
# REQS=requirements.txt installs the ranges instead. TORCH=cpu installs PyTorch's CPU-only
# wheels (about 2 GB less on Linux; for a laptop without an NVIDIA GPU).
LOCK   := requirements.lock
REQS   ?= $(LOCK)
TORCH  ?=
STAMP  := $(VENV)/.installed-$(shell cat $(REQS) $(wildcard requirements/*.txt) | cksum | cut -d' ' -f1)$(TORCH)
# unattended runs show no progress bars (nobody watches them; each epoch prints a line), and
# their hidden checks are strict: a claim the run does not back is an error (utils/checks.py)
RUN    := COURSE_PROGRESS=off COURSE_CHECKS=strict PYTHONHASHSEED=0
# the Pythons the course supports (README.md); `make` says in one line what to do otherwise
PY_MIN := 3.10
PY_MAX := 3.13
CHECK_PYTHON = $(1) -c 'import sys; v = sys.version_info[:2]; sys.exit(not ((3, 10) <= v <= (3, 13)))' \
	2>/dev/null || { echo "make: the course needs Python $(PY_MIN)-$(PY_MAX), but '$(1)' is $$($(1) --version 2>/dev/null || echo missing): $(2)"; exit 1; }
TRY    = \`make $(or $(MAKECMDGOALS),test) PYTHON=python3.12\`
# CPU-only PyTorch: the lock without the CUDA libraries, torch/torchvision from PyTorch's CPU index
CPU_INDEX := https://download.pytorch.org/whl/cpu

.PHONY: help install lock book pdf test lab figures timings bench bench-gpu wheels clean configure pin labs student binder
help:
	@echo "make install  the environment in .venv (also done by every target); TORCH=cpu: CPU-only PyTorch"
	@echo "              PYTHON=python3.12 picks the Python (3.10-3.13), VENV=.venv-312 another folder"
	@echo "make book     build the site into _build/html (executes every lecture)"
	@echo "make pdf      the whole book as one PDF (_build/pdf/), linked from the site's landing page"
	@echo "make test     unit tests + every lecture (smoke profile) + book build, warnings as errors"
	@echo "make lab      open JupyterLab on the lectures"
	@echo "make figures  redraw the diagrams and animations in images/"
	@echo "make timings  time every lecture in the smoke and cpu profiles (writes timings.md)"
	@echo "make bench    DCGAN throughput: pytorch/examples' pipeline vs the course's (writes benchmarks/results/)"
	@echo "make bench-gpu  the same at 64x64, width 64, with every fast-step flag (CUDA)"
	@echo "make wheels   wheels for an offline GPU machine that has only PyTorch (benchmarks/README.md)"
	@echo "make lock     refresh requirements.lock (uv, every Python and OS) and binder/requirements.txt"
	@echo "make clean    remove builds and caches (keeps .venv and data/)"
	@echo "make configure REPO=https://github.com/OWNER/REPO  point a fork at its own repository"
	@echo "make pin      the setup cells fetch the checked-out tag (or commit) on Colab (a release)"
	@echo "make labs     student notebooks and autograder zips of labs/ in _build/labs"
	@echo "make student REPO=https://github.com/OWNER/REPO-students  the students' repository"
	@echo "              (_build/student/src: no solutions, public tests only) and its site"

install: $(STAMP)
# the stamp's name carries the checksum of the requirements: a changed lock gives a new name,
# and an unchanged one (touched by a checkout, say) reinstalls nothing
$(STAMP):
	@$(call CHECK_PYTHON,$(PYTHON),install one (python.org, apt, brew, pyenv) and run e.g. $(TRY))
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(call CHECK_PYTHON,$(BIN)/python,remove $(VENV) and run e.g. $(TRY))
	$(BIN)/python -m pip install --quiet --upgrade pip
ifeq ($(TORCH),cpu)
	grep -vE '^(nvidia-|cuda-|triton)' $(REQS) > $(VENV)/requirements-cpu.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements-cpu.txt \
		--index-url $(CPU_INDEX) --extra-index-url https://pypi.org/simple
else
	$(BIN)/python -m pip install --quiet -r $(REQS)
endif
	rm -f $(VENV)/.installed-*
	touch $@

# after editing requirements.txt: `make lock`, then `make test`, then commit both files
lock: $(STAMP)
	tools/lock.sh $(BIN)/uv $(LOCK)

# The jupyter cache keys on code, not on COURSE_PROFILE: drop it when the profile changes,
# so a `cpu` build never serves outputs executed in `smoke` (or the other way round).
book: $(STAMP)
	@profile=$$($(BIN)/python -c "from utils import get_profile; print(get_profile())") || exit 1; \
	if [ "$$(cat _build/.profile 2>/dev/null)" != "$$profile" ]; then rm -rf _build/.jupyter_cache; fi; \
	mkdir -p _build && echo $$profile > _build/.profile; \
	echo "building the book in the '$$profile' profile"; \
	$(RUN) COURSE_PROFILE=$$profile $(BIN)/jupyter-book build . -W -n --keep-going
	@echo "open _build/html/index.html"

# headless Chromium prints every page of the built site (tools/pdf.py); needs `chromium`
pdf: book
	$(BIN)/python tools/pdf.py --html _build/html --out _build/pdf/advanced-convolutional-models.pdf

test: $(STAMP)
	$(RUN) COURSE_PROFILE=smoke $(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab lectures/

figures: $(STAMP)
	$(BIN)/python -m tools.figures

# PROFILES="smoke cpu full" on a GPU machine adds the full column
PROFILES ?= smoke cpu
timings: $(STAMP)
	$(BIN)/python benchmarks/timings.py --profiles $(PROFILES) --keep _build/timings

BENCH_ARGS ?= --size 32 --channels 32 --steps 40 --channels-last --fused-adam --ladder --limit
bench: $(STAMP)
	$(BIN)/python benchmarks/dcgan_throughput.py $(BENCH_ARGS)

# the reference scale on a CUDA GPU: every fast-step flag, one at a time, and the limit run
BENCH_GPU_ARGS ?= --size 64 --channels 64 --batch-size 64 --steps 200 --images 2048 \
	--channels-last --bf16 --fused-adam --compile --cuda-graph --ladder --limit
bench-gpu: $(STAMP)
	$(BIN)/python benchmarks/dcgan_throughput.py $(BENCH_GPU_ARGS)

wheels:
	benchmarks/gpu_wheels.sh .whl

clean:
	rm -rf _build .pytest_cache
	find . -name __pycache__ -not -path "./.venv/*" -prune -exec rm -rf {} +

# ---- teaching a class (instructors.md) ----
# stdlib only: runs before the environment exists
configure:
	$(PYTHON) tools/configure.py --repo "$(REPO)" $(if $(BRANCH),--branch "$(BRANCH)") $(if $(REF),--ref "$(REF)")

# a release: the setup cells fetch this tag (or commit) on Colab, not whatever main is later.
# Tag the release, `make pin`, commit the notebooks; then build and publish the site.
pin:
	$(PYTHON) tools/configure.py --ref "$$(git describe --tags --exact-match 2>/dev/null || git rev-parse HEAD)"

labs: $(STAMP)
	$(RUN) COURSE_PROFILE=smoke $(BIN)/python tools/labs.py --out _build/labs

student: $(STAMP)
	$(RUN) $(BIN)/python tools/student_edition.py --out _build/student $(if $(REPO),--repo "$(REPO)")
