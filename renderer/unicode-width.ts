/**
 * Cell widths exactly as the terminal computes them. xterm.js places characters by its active Unicode version
 * provider; the line editor must agree with it cell for cell, or the cursor drifts after a CJK character or an emoji.
 * So instead of a second width table we take the provider of @xterm/addon-unicode11 itself: its public activate()
 * only calls `terminal.unicode.register(provider)`, which a stub can capture. The terminal loads the same addon.
 */
import { Unicode11Addon } from '@xterm/addon-unicode11';
import type { IUnicodeVersionProvider, Terminal } from '@xterm/xterm';

let provider: IUnicodeVersionProvider | null = null;

function unicode11(): IUnicodeVersionProvider {
  if (!provider) {
    const stub = { unicode: { register: (p: IUnicodeVersionProvider) => (provider = p) } };
    new Unicode11Addon().activate(stub as unknown as Terminal);
    if (!provider) throw new Error('unicode11 addon did not register a provider');
  }
  return provider;
}

/** Width of one code point in cells: 0 (combining, ZWJ, variation selectors, controls), 1 or 2 (CJK, emoji). */
export function codePointWidth(cp: number): number {
  return unicode11().wcwidth(cp);
}

/** Cells a string takes: xterm joins a zero-width code point onto the preceding cell, so widths simply add up. */
export function stringWidth(s: string): number {
  let width = 0;
  for (const ch of s) width += codePointWidth(ch.codePointAt(0)!);
  return width;
}

export type WidthFn = (s: string) => number;
