/**
 * How the browser tests launch Debian's Chromium through playwright-core: the binary, the headless and
 * offline-minded flags (no background networking, updates or sync), and what to do when it is missing.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

export const CHROMIUM_MISSING = `Chromium is not installed at ${CHROMIUM_PATH}; install it with: apt-get install -y chromium`;
