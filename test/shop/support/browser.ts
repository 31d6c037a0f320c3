import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium with the flags of DEVELOPERS.md; launch() gives it a fresh temporary profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Collects console errors, uncaught page errors and CSP violations of a page, from before its first script runs. */
export async function watchProblems(page: Page): Promise<{ problems: string[]; csp: () => Promise<string[]> }> {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { problems, csp: () => page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []) };
}
