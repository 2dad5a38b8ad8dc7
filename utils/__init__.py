"""Helpers shared by the lectures of *Advanced Convolutional Models*.

Plumbing lives here (run profiles, devices, data, plots); the code a student should
read (models, training loops) stays in the notebooks.
"""
from .data import (DATA_DIR, FaceImages, LabelledImages, TensorLoader, load_faces, load_mnist,
                   make_blobs_3d)
from .gan import update_D, update_G
from .display import progress, show_source
from .plotting import (BLUE, GREEN, GREY, ORANGE, animate_frames, grid_frame, configure_plotly, plot_eight_pair, plot_eights,
                       plot_history, plot_scatter2D, plot_scatter3D, show_grid)
from .shapes import conv_out, conv_transpose_out
from .profile import (PROFILES, accelerator_available, by_profile, get_device, get_profile,
                      is_real_run, seed_everything, setup)

__all__ = [
    "DATA_DIR", "FaceImages", "LabelledImages", "TensorLoader", "load_faces", "load_mnist",
    "make_blobs_3d",
    "update_D", "update_G",
    "progress", "show_source",
    "BLUE", "GREEN", "GREY", "ORANGE", "animate_frames", "grid_frame", "configure_plotly", "plot_eight_pair", "plot_eights", "plot_history",
    "plot_scatter2D", "plot_scatter3D", "show_grid",
    "conv_out", "conv_transpose_out",
    "PROFILES", "accelerator_available", "by_profile", "get_device", "get_profile", "is_real_run",
    "seed_everything", "setup",
]
