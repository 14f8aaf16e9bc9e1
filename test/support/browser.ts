// The Chromium the browser tests drive (with playwright-core), without a hand install:
// 1. CHROMIUM_PATH, when set, names the executable;
// 2. otherwise the Chromium that the npm package @sparticuz/chromium ships inside its
//    tarball (a Brotli-packed headless build for x86-64/arm64 Linux, unpacked to the temp
//    folder on first use; no download at install or run time);
// 3. otherwise the system's /usr/bin/chromium (Debian's `chromium` package).
// OBTS_BROWSER=npm or OBTS_BROWSER=system forces one of the last two (to test each).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
// Quiet, loopback-only flags for both builds: no first-run, sync, updates or QUIC.
const COMMON_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// Flags of @sparticuz/chromium's serverless defaults left out: two would weaken the page under
// test; with --single-process (and its --no-zygote) closing one browser context ends the browser.
const REFUSED_NPM_ARGS = new Set(['--disable-web-security', '--allow-running-insecure-content', '--single-process', '--no-zygote']);

export interface LaunchedBrowser {
  browser: Browser;
  /** Which Chromium runs, for the test log: "npm @sparticuz/chromium 143…", "system /usr/bin/chromium". */
  source: string;
}

/** Starts a headless Chromium, or fails saying what the tests need. */
export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<LaunchedBrowser> {
  const forced = env.OBTS_BROWSER;
  if (forced && forced !== 'npm' && forced !== 'system') throw new Error(`OBTS_BROWSER "${forced}" is not valid; expected npm or system`);
  if (env.CHROMIUM_PATH) return launch(env.CHROMIUM_PATH, COMMON_ARGS, `CHROMIUM_PATH ${env.CHROMIUM_PATH}`);
  let npmFailure = '';
  if (forced !== 'system') {
    try {
      const { default: packaged } = await import('@sparticuz/chromium');
      const executable = await packaged.executablePath();
      const args = [...packaged.args.filter((arg) => !REFUSED_NPM_ARGS.has(arg)), ...COMMON_ARGS];
      return await launch(executable, args, `npm @sparticuz/chromium (${executable})`);
    } catch (error) {
      npmFailure = (error as Error).message.split('\n')[0];
      if (forced === 'npm') throw new Error(`OBTS_BROWSER=npm: the Chromium of @sparticuz/chromium does not start here: ${npmFailure}`);
    }
  }
  if (existsSync(SYSTEM_CHROMIUM)) return launch(SYSTEM_CHROMIUM, ['--headless', ...COMMON_ARGS], `system ${SYSTEM_CHROMIUM}`);
  throw new Error(`No Chromium for the browser tests: @sparticuz/chromium (an npm devDependency, x86-64/arm64 Linux) did not start${npmFailure ? ` (${npmFailure})` : ''} and ${SYSTEM_CHROMIUM} is missing; run \`npm ci\`, or install Debian's chromium, or set CHROMIUM_PATH`);
}

async function launch(executablePath: string, args: string[], source: string): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({ executablePath, args, headless: true });
  return { browser, source: `${source}, Chromium ${browser.version()}` };
}
