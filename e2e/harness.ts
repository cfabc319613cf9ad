/**
 * End-to-end harness: the real API server (real Python workers) on a free port, Debian's Chromium driven by
 * playwright-core, and helpers that read the terminal the way a person does: from the DOM renderer's rows.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../server/app.js';
import { resolveConfig } from '../server/config.js';
import type {} from '../renderer/debug-hooks.js'; // window.pyreplDebug's type

export const TOKEN = 'e2e-token-0123456789abcdef';
const RESULTS = new URL('../test-results/', import.meta.url).pathname;

export interface Stack {
  server: RunningServer;
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

/** `overrides`: server settings a test file needs (e.g. a higher output limit), on top of the e2e defaults. */
export async function startStack(overrides: Parameters<typeof resolveConfig>[2] = {}): Promise<Stack> {
  const server = await startServer(resolveConfig({}, {}, { port: 0, token: TOKEN, minIdle: 2, logLevel: 'silent', ...overrides }));
  const browser = await chromium.launch({
    executablePath: process.env.PYREPL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
  return {
    server,
    browser,
    context,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Opens the terminal with a fragment (#token=…, #session=…&role=observer) and waits for it to be attached. */
export async function openRepl(stack: Stack, fragment = `token=${TOKEN}`, expectMode = 'prompt'): Promise<Page> {
  const page = await stack.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto(`${stack.server.url}/#${fragment}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  await page.waitForFunction((mode) => window.pyreplDebug?.mode() === mode, expectMode, { timeout: 20_000 });
  return page;
}

/** Console errors and uncaught exceptions the page produced (CSP violations show up here too). */
export function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

/** The visible rows of the terminal, as text (read from the DOM renderer). */
export function screenText(page: Page): Promise<string> {
  return page.$eval('.xterm-rows', (rows) => [...rows.children].map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'));
}

export async function waitForScreen(page: Page, pattern: RegExp, timeout = 15_000): Promise<string> {
  try {
    await page.waitForFunction(
      ({ source, flags }) => {
        const rows = document.querySelector('.xterm-rows');
        const text = rows ? [...rows.children].map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n') : '';
        return new RegExp(source, flags).test(text);
      },
      { source: pattern.source, flags: pattern.flags },
      { timeout, polling: 50 },
    );
  } catch (error) {
    const buffer = (await bufferText(page).catch(() => '')).split('\n').slice(-40).join('\n');
    // What the page thinks it is doing: a screen that stopped changing says little on its own.
    const state = await page
      .evaluate(() => JSON.stringify({ mode: window.pyreplDebug?.mode(), status: window.pyreplDebug?.status(), pendingChars: window.pyreplDebug?.pendingChars() }))
      .catch((e: unknown) => `(page did not answer: ${String(e)})`);
    throw new Error(`screen never matched ${pattern}; it shows:\n${await screenText(page)}\n--- buffer tail:\n${buffer}\n--- page state: ${state}\n(${String(error)})`);
  }
  return screenText(page);
}

/** The whole terminal buffer (scrollback too), through the page's read-only debug hook. */
export function bufferText(page: Page): Promise<string> {
  return page.evaluate(() => window.pyreplDebug!.bufferText());
}

export async function waitForMode(page: Page, mode: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction((m) => window.pyreplDebug?.mode() === m, mode, { timeout });
}

/** Types like a person (key by key); \n is Enter. */
export async function type(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text, { delay: 5 });
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
