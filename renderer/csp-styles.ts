/**
 * xterm.js's DOM renderer styles the terminal by writing CSS into <style> elements it creates (cell colours, cursor,
 * dimensions, scrollbar). The page's Content-Security-Policy (style-src 'self', server/http/static.ts) blocks inline
 * <style> elements, including ones created by script, while constructed stylesheets (CSSOM) are allowed. So while
 * xterm builds its DOM, document.createElement('style') hands it a stand-in: an inert <template> whose textContent
 * setter feeds a constructed CSSStyleSheet adopted by the document. xterm only ever sets textContent, appends and
 * removes these elements. The CSP stays strict and nothing is blocked (no console errors either).
 */

const HOLDS_SHEET = new WeakMap<HTMLElement, CSSStyleSheet>();

function standIn(create: (tag: string) => HTMLElement): HTMLElement {
  const element = create('template');
  element.dataset.xtermStyle = '';
  const sheet = new CSSStyleSheet();
  HOLDS_SHEET.set(element, sheet);
  let text = '';
  Object.defineProperty(element, 'textContent', {
    get: () => text,
    set: (value: unknown) => {
      text = value == null ? '' : String(value);
      sheet.replaceSync(text);
    },
  });
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return element;
}

/** Runs `build` (term.open) with <style> creation redirected to constructed stylesheets. */
export function withConstructedStyles<T>(build: () => T): T {
  const original = document.createElement;
  const create = (tag: string) => original.call(document, tag);
  document.createElement = function (this: Document, tag: string, options?: ElementCreationOptions) {
    if (this === document && tag.toLowerCase() === 'style') return standIn(create);
    return original.call(this, tag, options);
  } as typeof document.createElement;
  try {
    return build();
  } finally {
    document.createElement = original;
  }
}

/** Whether the terminal's styles all went through stand-ins (no blocked <style> element exists). For tests. */
export function terminalStylesOk(root: HTMLElement): boolean {
  return root.querySelectorAll('style').length === 0 && root.querySelectorAll('template[data-xterm-style]').length > 0;
}
