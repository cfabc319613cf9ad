/**
 * Where a window opens: the remembered bounds when they are still on a screen (monitors get unplugged, resolutions
 * change), else a default size centred by the OS. Pure, so every case is tested without displays.
 */
import type { DisplayLike, Rect } from './host.js';
import type { WindowState } from './settings.js';

/** A comfortable first size for an 80+ column terminal. */
export const DEFAULT_WIDTH = 1000;
export const DEFAULT_HEIGHT = 700;
/** Below this the status bar and prompt no longer fit. */
export const MIN_WIDTH = 480;
export const MIN_HEIGHT = 320;
/** How much of the title bar area must be on a display to count as reachable (grab it and drag). */
export const MIN_VISIBLE_PX = 64;
/** Each further window is offset from the previous, so it does not hide it exactly. */
export const CASCADE_OFFSET_PX = 24;

export interface PlacedBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/** The display showing most of the rect's top strip (where the title bar is), or null when none shows enough. */
function displayFor(rect: Rect, displays: DisplayLike[]): DisplayLike | null {
  const titleStrip: Rect = { x: rect.x, y: rect.y, width: rect.width, height: MIN_VISIBLE_PX };
  let best: DisplayLike | null = null;
  let bestArea = 0;
  for (const display of displays) {
    const o = overlap(titleStrip, display.workArea);
    if (o.width >= MIN_VISIBLE_PX && o.height > 0 && o.width * o.height > bestArea) {
      best = display;
      bestArea = o.width * o.height;
    }
  }
  return best;
}

/**
 * The bounds to open with. Saved bounds on a display are kept, shrunk to fit that display and moved inside it; saved
 * bounds on no display lose their position (the OS centres the window) and keep a size that fits the first display.
 */
export function restoreBounds(saved: WindowState | null, displays: DisplayLike[]): PlacedBounds {
  const primary = displays[0]?.workArea;
  const fit = (width: number, height: number, area: Rect | undefined) => ({
    width: Math.max(MIN_WIDTH, area ? Math.min(width, area.width) : width),
    height: Math.max(MIN_HEIGHT, area ? Math.min(height, area.height) : height),
  });
  if (!saved) return { ...fit(DEFAULT_WIDTH, DEFAULT_HEIGHT, primary), maximized: false };
  // Visibility is judged at the size the window will have (never below the minimum).
  const display = displayFor({ ...saved, ...fit(saved.width, saved.height, undefined) }, displays);
  if (!display) return { ...fit(saved.width, saved.height, primary), maximized: saved.maximized };
  const area = display.workArea;
  const size = fit(saved.width, saved.height, area);
  // Inside the display; when even the minimum size is larger, the top-left corner (title bar) wins.
  const x = Math.max(area.x, Math.min(saved.x, area.x + area.width - size.width));
  const y = Math.max(area.y, Math.min(saved.y, area.y + area.height - size.height));
  return { x, y, ...size, maximized: saved.maximized };
}

/** A further window: the same size, cascaded from the last one, back to the display's corner when it would overflow. */
export function cascadeFrom(previous: Rect, displays: DisplayLike[]): PlacedBounds {
  const next = { ...previous, x: previous.x + CASCADE_OFFSET_PX, y: previous.y + CASCADE_OFFSET_PX };
  const display = displayFor(previous, displays);
  if (display) {
    const area = display.workArea;
    if (next.x + next.width > area.x + area.width || next.y + next.height > area.y + area.height) {
      next.x = area.x;
      next.y = area.y;
    }
  }
  return { ...restoreBounds({ ...next, maximized: false }, displays), maximized: false };
}
