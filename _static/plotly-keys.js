/* Keyboard control for the plotly figures of the course's pages.
 *
 * A mouse drags a plotly figure to rotate or pan it and scrolls to zoom; this gives the keyboard
 * the same: press Tab until the figure is outlined, then
 *   arrow keys   rotate a 3-D figure (15 degrees a press) or pan a 2-D one (a tenth of its view),
 *   + and -      zoom in and out,
 *   0            go back to the first view.
 * Each figure says so in a line under it and in its accessible name. Plain JavaScript, nothing
 * to download: the page already carries plotly.js.
 */
(function () {
  "use strict";
  var STEP = Math.PI / 12;          // 15 degrees
  var HINT = "Keyboard: Tab to the figure, then arrow keys rotate or pan, + and - zoom, 0 resets.";

  function scenes(gd) {
    return Object.keys(gd._fullLayout || {}).filter(function (k) { return /^scene\d*$/.test(k); });
  }
  function axes(gd) {
    return Object.keys(gd._fullLayout || {}).filter(function (k) { return /^[xy]axis\d*$/.test(k); });
  }

  function rotate(gd, yaw, pitch, scale) {
    var update = {};
    scenes(gd).forEach(function (name) {
      var eye = gd._fullLayout[name].camera.eye;
      var r = Math.sqrt(eye.x * eye.x + eye.y * eye.y + eye.z * eye.z) * scale;
      var around = Math.atan2(eye.y, eye.x) + yaw;
      var up = Math.asin(Math.max(-1, Math.min(1, eye.z / Math.max(r / scale, 1e-9))));
      up = Math.max(-1.4, Math.min(1.4, up + pitch));
      update[name + ".camera.eye"] = {x: r * Math.cos(up) * Math.cos(around),
                                      y: r * Math.cos(up) * Math.sin(around), z: r * Math.sin(up)};
    });
    return update;
  }

  function pan(gd, dx, dy, scale) {
    var update = {};
    axes(gd).forEach(function (name) {
      var axis = gd._fullLayout[name];
      if (!axis.range || axis.type === "category" || axis.fixedrange) return;
      var lo = Number(axis.range[0]), hi = Number(axis.range[1]), width = hi - lo;
      var shift = (name[0] === "x" ? dx : dy) * width / 10;
      var mid = (lo + hi) / 2 + shift, half = width * scale / 2;
      update[name + ".range"] = [mid - half, mid + half];
    });
    return update;
  }

  function onKey(event) {
    var gd = event.currentTarget, key = event.key, three = scenes(gd).length > 0;
    var moves = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1]};
    var update = null;
    if (moves[key]) {
      var m = moves[key];
      update = three ? rotate(gd, m[0] * STEP, m[1] * STEP, 1) : pan(gd, m[0], m[1], 1);
    } else if (key === "+" || key === "=" || key === "-" || key === "_") {
      var scale = (key === "+" || key === "=") ? 0.8 : 1.25;
      update = three ? rotate(gd, 0, 0, scale) : pan(gd, 0, 0, scale);
    } else if (key === "0" || key === "Home") {
      update = JSON.parse(gd.getAttribute("data-first-view") || "{}");
    }
    if (update && window.Plotly) {
      event.preventDefault();
      window.Plotly.relayout(gd, update);
    }
  }

  function enable(gd) {
    if (!gd._fullLayout || gd.hasAttribute("data-keys")) return;
    gd.setAttribute("data-keys", "on");
    var first = {};
    scenes(gd).forEach(function (n) { first[n + ".camera.eye"] = Object.assign({}, gd._fullLayout[n].camera.eye); });
    axes(gd).forEach(function (n) {
      if (gd._fullLayout[n].range) first[n + ".range"] = gd._fullLayout[n].range.slice();
    });
    gd.setAttribute("data-first-view", JSON.stringify(first));
    var title = (gd._fullLayout.title && gd._fullLayout.title.text) || "Interactive figure";
    gd.tabIndex = 0;
    gd.setAttribute("role", "application");
    gd.setAttribute("aria-label", title.replace(/<[^>]+>/g, "") + ". " + HINT);
    gd.addEventListener("keydown", onKey);
    var hint = document.createElement("p");
    hint.className = "plotly-keys-hint";
    hint.textContent = HINT;
    // under the output box (a notebook output has a fixed height: inside it, the line is cut off)
    (gd.closest(".output") || gd).insertAdjacentElement("afterend", hint);
  }

  function enableAll() {
    document.querySelectorAll(".plotly-graph-div").forEach(function (gd) {
      if (gd._fullLayout) enable(gd);
      else if (gd.on) gd.on("plotly_afterplot", function () { enable(gd); });
    });
  }
  if (document.readyState === "complete") enableAll();
  else window.addEventListener("load", enableAll);
})();
