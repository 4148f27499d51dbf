import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless, with a fresh temporary profile that Playwright removes on close; no
 * browser is downloaded, and nothing reaches beyond the stack.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
