/**
 * @module surfaces/web/chart-slot
 * Where pictures plug into the dashboard. The pages call `resultPictures` after an
 * operation's rendered result (a history becomes a chart, a forecast a fill line), and
 * every page loads the `pictureScripts`; `pictureAssets` are served under `/assets/`.
 * The chart component fills these in; the pages know nothing of what is drawn.
 */
import type { AnyOperation } from '../../core/operation.js';
import type { Html } from './html.js';

/** A file served from the package at `/assets/<name>`. */
export interface Asset {
  name: string;
  type: string;
  /** The file's bytes, read when first asked for. */
  body(): string | Uint8Array;
}

/** Extra files under `/assets/` (a chart library, its style sheet, the chart script). */
export const pictureAssets: Asset[] = [];

/** Scripts every page loads, by `/assets/` URL, after the dashboard's own. */
export const pictureScripts: string[] = [];

/** Style sheets every page loads, by `/assets/` URL. */
export const pictureStyles: string[] = [];

/** Draws pictures of an operation's result (undefined: none for this result). */
export type PictureView = (op: AnyOperation, input: Record<string, unknown>, result: unknown) => Html | undefined;

/** The picture views, tried in order; each may add a picture. */
export const pictureViews: PictureView[] = [];

/** The pictures of one result, one after another. */
export function resultPictures(op: AnyOperation, input: Record<string, unknown>, result: unknown): Html[] {
  return pictureViews.map((view) => view(op, input, result)).filter((p): p is Html => p !== undefined);
}
