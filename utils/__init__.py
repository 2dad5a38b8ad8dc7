"""Helpers shared by the lectures of *Advanced Convolutional Models*.

Plumbing lives here (run profiles, devices, data, plots); the code a student should
read (models, training loops) stays in the notebooks. Exported below is what the
lectures, tests and benchmarks import; everything else is reached by its module,
e.g. ``from utils.models import Generator`` or ``from utils.plotting import plot_scatter_3d``.
"""
from .animation import animate_frames, grid_frame, show_grid
from .batching import TensorLoader
from .blobs import make_blobs_3d
from .checks import check_claim
from .digits import DigitClassifier, DigitFeatures, digit_classifier, frechet_distance
from .selfcheck import Question, self_check
from .display import progress, show_source
from .faces import FaceImages, load_faces
from .gan import update_D, update_G
from .mnist import LabelledImages, load_mnist
from .plotting import (BLUE, GREEN, GREY, ORANGE, configure_plotly, plot_eight_pair, plot_eights,
                       plot_history, plot_scatter2D, plot_scatter3D)
from .profile import (PROFILES, accelerator_available, by_profile, get_device, get_profile,
                      is_real_run, run_seed, seed_everything, setup)
from .shapes import conv_out, conv_transpose_out
from .sources import DATA_DIR

__all__ = [
    "DATA_DIR", "FaceImages", "LabelledImages", "TensorLoader", "load_faces", "load_mnist",
    "make_blobs_3d", "check_claim", "DigitClassifier", "DigitFeatures", "digit_classifier",
    "frechet_distance", "Question", "self_check",
    "update_D", "update_G",
    "progress", "show_source",
    "animate_frames", "configure_plotly", "plot_eight_pair", "plot_eights", "plot_history",
    "plot_scatter2D", "plot_scatter3D", "show_grid", "grid_frame", "BLUE", "GREEN", "GREY", "ORANGE",
    "conv_out", "conv_transpose_out",
    "PROFILES", "accelerator_available", "by_profile", "get_device", "get_profile", "is_real_run", "run_seed",
    "seed_everything", "setup",
]
