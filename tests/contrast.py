"""Colour contrast measured in the browser, from computed styles (WCAG 1.4.3, 1.4.11, 2.4.7).

axe-core checks text contrast; these helpers check what it does not: the borders of form fields
and the focus indicator, each against the colours next to it.
"""

# Runs in the page. `backdrop(el)` is the colour behind an element: the backgrounds of its
# ancestors composited until one is opaque, on the white canvas.
_JS = """
(() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [255, 255, 255, 0];
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]);
  };
  const backdrop = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reduceRight((under, top) => over(top, under), [255, 255, 255, 1]);
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const describe = (el) => {
    const words = (el.textContent || el.name || "").trim().slice(0, 40);
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " “" + words + "”";
  };
  window.__contrast = {
    // The focus indicator: an outline drawn outside the element, against what is behind it.
    focus(el) {
      const s = getComputedStyle(el);
      const outline = over(parse(s.outlineColor), backdrop(el.parentElement));
      return {
        element: describe(el),
        width: parseFloat(s.outlineWidth) || 0,
        style: s.outlineStyle,
        ratio: ratio(outline, backdrop(el.parentElement)),
      };
    },
    // A field's border, against the page around it and against the field's own background.
    border(el) {
      const s = getComputedStyle(el);
      const outside = backdrop(el.parentElement);
      const inside = backdrop(el);
      const border = over(parse(s.borderTopColor), outside);
      return {
        element: describe(el),
        type: el.type,
        width: parseFloat(s.borderTopWidth) || 0,
        ratio: Math.min(ratio(border, outside), ratio(border, inside)),
      };
    },
  };
})();
"""


def _install(page) -> None:
    if not page.evaluate("Boolean(window.__contrast)"):
        page.evaluate(_JS)


def focus_indicator(page) -> dict:
    """The focused element's outline: width (px), style and contrast against its backdrop."""
    _install(page)
    return page.evaluate("window.__contrast.focus(document.activeElement)")


def field_borders(page, selector="input:not([type=hidden]), select, textarea") -> list[dict]:
    """Each visible form field's border width and its lower contrast (outside or inside)."""
    _install(page)
    return page.eval_on_selector_all(
        selector,
        "els => els.filter(e => e.checkVisibility()).map(e => window.__contrast.border(e))",
    )


def assert_focus_visible(page, minimum_ratio=3.0) -> dict:
    """The focused element shows a solid outline at least 2 px wide and `minimum_ratio`:1."""
    indicator = focus_indicator(page)
    assert indicator["style"] != "none" and indicator["width"] >= 2, indicator
    assert indicator["ratio"] >= minimum_ratio, indicator
    return indicator
