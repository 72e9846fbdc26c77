/**
 * @module test/surfaces/web/contrast
 * WCAG 2 contrast of text as a browser paints it: a page's visible text elements are
 * read with their computed colour and the background and opacity of every box from the
 * root down (`TEXT_SAMPLES`, evaluated in the page), and `effectiveRatio` composites
 * them as the browser does (translucent backgrounds over what is behind, an ancestor's
 * opacity blending everything inside it with what is behind that ancestor).
 */

/** A colour with alpha; channels 0–255, alpha 0–1. */
export type Rgba = readonly [number, number, number, number];

/** One box from the root down to the text's element. */
export interface Layer {
  background: string;
  opacity: number;
}

/** A visible text element: what it is, its computed colour, its boxes from the root. */
export interface TextSample {
  what: string;
  color: string;
  chain: Layer[];
}

/** Reads a computed CSS colour: `rgb()`, `rgba()` or `color(srgb …)` (what color-mix computes to). */
export function parseColor(css: string): Rgba {
  const rgb = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
  const srgb = /^color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)$/.exec(css);
  if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
  throw new Error(`unreadable colour ${css}`);
}

/** `top` painted over the opaque `bottom`. */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
}

function luminance(c: Rgba): number {
  const [r, g, b] = [c[0], c[1], c[2]].map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two opaque colours (1–21). */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The contrast a reader sees of a sample's text against what is painted behind it. */
export function effectiveRatio(sample: TextSample): number {
  let behind: Rgba = [255, 255, 255, 1];
  const faded: { opacity: number; outside: Rgba }[] = [];
  for (const layer of sample.chain) {
    if (layer.opacity < 1) faded.push({ opacity: layer.opacity, outside: behind });
    behind = over(parseColor(layer.background), behind);
  }
  let fg = over(parseColor(sample.color), behind);
  let bg = behind;
  for (const { opacity, outside } of faded.reverse()) {
    fg = over([fg[0], fg[1], fg[2], opacity], outside);
    bg = over([bg[0], bg[1], bg[2], opacity], outside);
  }
  return contrastRatio(fg, bg);
}

/**
 * Evaluated in the page: every visible element with text of its own (not the visually
 * hidden `.sr` text, nor what is off-screen like the unfocused skip link).
 */
export const TEXT_SAMPLES = `(() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'OPTION', 'TEMPLATE'].includes(el.tagName)) continue;
    if (!Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    if (el.closest('.sr, [hidden]')) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility !== 'visible' || box.width < 2 || box.height < 2 || box.right < 0) continue;
    const chain = [];
    for (let n = el; n; n = n.parentElement) { const s = getComputedStyle(n); chain.unshift({ background: s.backgroundColor, opacity: Number(s.opacity) }); }
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    out.push({ what: el.tagName.toLowerCase() + cls + ' "' + el.textContent.trim().slice(0, 40) + '"', color: style.color, chain });
  }
  return out;
})()`;
