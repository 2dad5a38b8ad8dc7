import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from utils import (animate_frames, plot_eight_pair, plot_eights, plot_history,  # noqa: E402
                   plot_scatter2D, plot_scatter3D, show_grid)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_scatter3d_one_trace_per_class_and_embeds_plotly():
    import plotly.io as pio

    X = np.random.default_rng(0).normal(size=(30, 3))
    y = np.repeat([0, 1, 2], 10)
    fig = plot_scatter3D(X, y, title="t")
    assert [len(t.x) for t in fig.data] == [10, 10, 10]
    assert pio.renderers.default == "plotly_mimetype+course_notebook"
    bundle = {}
    for name in pio.renderers.default.split("+"):
        bundle.update(pio.renderers[name].to_mimebundle(fig.to_dict()))
    assert "application/vnd.plotly.v1+json" in bundle  # JupyterLab
    assert "text/html" in bundle and "plotly" in bundle["text/html"]  # the static site
    assert "MathJax.js" not in bundle["text/html"] and "cdnjs" not in bundle["text/html"]


@pytest.mark.parametrize("bad", [np.zeros((5, 2)), np.zeros(5), np.zeros((5, 3, 1))])
def test_scatter3d_rejects_wrong_shapes(bad):
    with pytest.raises(ValueError, match=r"\[n_samples, 3\]"):
        plot_scatter3D(bad)


def test_scatter2d_accepts_tensors_and_checks_labels():
    ax = plot_scatter2D(torch.randn(12, 2), torch.arange(12) % 2)
    assert len(ax.collections) == 2
    with pytest.raises(ValueError, match=r"\[n_samples, 2\]"):
        plot_scatter2D(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="must match"):
        plot_scatter2D(np.zeros((4, 2)), np.zeros(3))


@pytest.mark.parametrize("shape", [(6, 1, 28, 28), (6, 28, 28)])
def test_plot_eights_shows_originals_over_noisy(shape):
    fig = plot_eights(torch.rand(shape), noise=0.5, n=4)
    axes = np.array(fig.axes).reshape(2, 4)
    top = axes[0, 0].images[0].get_array()
    bottom = axes[1, 0].images[0].get_array()
    assert top.shape == bottom.shape == (28, 28)
    assert not np.allclose(top, bottom) and bottom.min() >= 0 and bottom.max() <= 1


@pytest.mark.parametrize("bad", [torch.rand(4, 3, 28, 28), torch.rand(28), torch.rand(2, 2, 2, 2, 2)])
def test_plot_eights_rejects_wrong_shapes(bad):
    with pytest.raises(ValueError, match=r"\[N, 1, H, W\]"):
        plot_eights(bad)


def test_plot_eight_pair_one_image_each():
    fig = plot_eight_pair(torch.rand(1, 28, 28), torch.rand(1, 1, 28, 28))
    assert len(fig.axes) == 2
    with pytest.raises(ValueError, match="one image each"):
        plot_eight_pair(torch.rand(2, 1, 28, 28), torch.rand(1, 28, 28))


def test_plot_history_and_grid():
    ax = plot_history({"loss": [3, 2, 1], "other": [1, 1, 1]})
    assert len(ax.lines) == 2
    with pytest.raises(ValueError):
        plot_history({"loss": []})
    ax = show_grid(torch.rand(10, 3, 8, 8) * 2 - 1, nrow=5, value_range=(-1, 1))
    assert ax.images[0].get_array().shape[:2] == (2 * 10 + 2, 5 * 10 + 2)
    with pytest.raises(ValueError, match="C = 1 or 3"):
        show_grid(torch.rand(2, 2, 8, 8))


def test_animation_is_self_contained_html():
    html = animate_frames([np.zeros((8, 8)), np.ones((8, 8))], titles=["a", "b"]).data
    assert "<script" in html and html.count("data:image/png;base64") == 2
    with pytest.raises(ValueError):
        animate_frames([])


def test_animation_player_has_an_alt_text():
    import re

    frames = [np.zeros((8, 8)), np.ones((8, 8))]
    default = animate_frames(frames).data
    assert re.search(r'<img id="_anim_img\w+" alt="Animation of 2 frames', default)
    html = animate_frames(frames, alt='Digits "denoised" as training <goes> on').data
    assert 'alt="Digits &quot;denoised&quot; as training &lt;goes&gt; on"' in html
    with pytest.raises(ValueError, match="alt must describe"):
        animate_frames(frames, alt="  ")


def test_animation_player_controls_have_names():
    """Screen readers name every control: the buttons by their labels, the slider "Frame"."""
    import re

    html = animate_frames([np.zeros((8, 8)), np.ones((8, 8))]).data
    assert re.search(r'<input id="_anim_slider\w+" aria-label="Frame" type="range"', html)
    buttons = re.findall(r"<button\b[^>]*>", html)
    assert len(buttons) == 9 and all('aria-label="' in b for b in buttons)


def test_animation_player_needs_no_other_host():
    html = animate_frames([np.zeros((4, 4)), np.ones((4, 4))]).data
    assert "http" not in html and "font-awesome" not in html and 'class="fa ' not in html
    assert html.count('aria-hidden="true"') == 9  # one text symbol per button


@pytest.mark.parametrize("kwargs, match", [
    ({"titles": ["only one"]}, "one title per frame"),
    ({"interval": 0}, "interval"),
])
def test_animation_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        animate_frames([np.zeros((4, 4)), np.ones((4, 4))], **kwargs)


def test_grids_reject_bad_arguments():
    from utils import grid_frame

    with pytest.raises(ValueError, match="low < high"):
        grid_frame(torch.rand(2, 1, 4, 4), value_range=(1, 1))
    with pytest.raises(ValueError, match="nrow"):
        show_grid(torch.rand(2, 1, 4, 4), nrow=0)
    with pytest.raises(ValueError, match="no images"):
        show_grid(torch.rand(0, 1, 4, 4))
    assert grid_frame(torch.rand(3, 3, 4, 4), nrow=3).shape == (8, 3 * 6 + 2, 3)


def test_plot_eights_bad_arguments():
    with pytest.raises(ValueError, match="n must be"):
        plot_eights(torch.rand(2, 28, 28), n=0)
    with pytest.raises(ValueError, match="noise"):
        plot_eights(torch.rand(2, 28, 28), noise=-1)


def test_original_helper_names_are_aliases_of_the_snake_case_ones():
    from utils import plotting

    assert plotting.plot_scatter3D is plotting.plot_scatter_3d
    assert plotting.plot_scatter2D is plotting.plot_scatter_2d
    assert plotting.plot_eights is plotting.plot_noisy_images
    assert plotting.plot_eight_pair is plotting.plot_image_pair
    # the original positional signatures
    plot_scatter3D(np.zeros((4, 3)), np.arange(4) % 2)
    plot_scatter2D(np.zeros((4, 2)), np.arange(4) % 2)
    plot_eights(np.random.rand(3, 1, 28, 28), 0.3)
    plot_eight_pair(np.random.rand(28, 28), np.random.rand(28, 28))


def test_every_figure_is_drawn_by_code(tmp_path, monkeypatch):
    """Each image in images/ has a drawing function, and the functions write real files."""
    from pathlib import Path

    from tools import figures

    names = {p.stem for p in (Path(figures.__file__).parent.parent / "images").iterdir()}
    assert names - {"favicon"} <= set(figures.FIGURES), names - set(figures.FIGURES)
    monkeypatch.setattr(figures, "IMAGES", tmp_path)
    for name in ("autoencoder_diagram", "transposed_unstrided"):
        path = figures.FIGURES[name]()
        assert path.parent == tmp_path and path.stat().st_size > 1000


def _contrast(a, b):
    """WCAG contrast ratio of two colours (anything matplotlib understands)."""
    from matplotlib.colors import to_rgb

    def luminance(colour):
        channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_figure_text_has_contrast_and_figures_are_opaque():
    """Figures carry their own white background, so their text keeps its contrast on a light page,
    on a dark page (the site's dark mode, JupyterLab's dark theme) and on paper: at least 4.5:1
    (WCAG AA) for every kind of text against the figure and the axes."""
    import io

    import matplotlib as mpl
    from PIL import Image

    rc = mpl.rcParams
    text = rc["text.color"]
    kinds = {"text": text, "axis labels": rc["axes.labelcolor"],
             "titles": text if rc["axes.titlecolor"] == "auto" else rc["axes.titlecolor"],
             "x ticks": rc["xtick.color"] if rc["xtick.labelcolor"] == "inherit" else rc["xtick.labelcolor"],
             "y ticks": rc["ytick.color"] if rc["ytick.labelcolor"] == "inherit" else rc["ytick.labelcolor"]}
    for background in (rc["figure.facecolor"], rc["axes.facecolor"]):
        for kind, colour in kinds.items():
            assert _contrast(colour, background) >= 4.5, f"{kind} {colour} on {background}"
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    corner = Image.open(buffer).convert("RGBA").getpixel((0, 0))
    assert corner[3] == 255 and min(corner[:3]) > 240, f"a figure's background is {corner}"


def test_plotly_figure_text_has_contrast():
    fig = plot_scatter3D(np.random.default_rng(0).normal(size=(20, 3)), np.arange(20) % 2, title="t")
    layout = fig.layout.template.layout if fig.layout.template else fig.layout
    paper = fig.layout.paper_bgcolor or layout.paper_bgcolor or "white"
    font = fig.layout.font.color or layout.font.color or "#444"
    assert _contrast(font, paper) >= 4.5, (font, paper)
