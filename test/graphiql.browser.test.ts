// GraphiQL for trainers, in a real browser (the Chromium of test/support/browser.ts, driven by playwright-core):
// the page loads offline from the gateway alone, opens with the example operations, and
// running the first example returns an offender from the subgraphs.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { generateStories } from '../seed/generate.ts';
import { startStack, type Stack } from './support/stack.ts';
import { ROOT } from '../schema/subgraphs.ts';
import { EXAMPLES } from '../gateway/graphiql/examples.ts';
import { launchChromium } from './support/browser.ts';

describe('GraphiQL in a real browser', function () {
  this.timeout(300_000); // a shared machine under load starts the stack slowly
  let stack: Stack;
  let browser: Browser;

  before(async () => {
    mkdirSync(path.join(ROOT, '.scratch'), { recursive: true });
    stack = await startStack(generateStories({ offenders: 50, seed: 1 }), { tag: 'graphiql' });
    const launched = await launchChromium();
    browser = launched.browser;
    console.log(`      browser: ${launched.source}`);
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('loads offline, shows the examples, and runs every one of them without errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const base = stack.gateway.url.replace(/\/graphql$/, '');
    await page.goto(`${base}/graphiql`);
    await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
    assert.match(await page.locator('#banner').innerText(), /Synthetic data only/);
    // One tab per example operation; each runs against the seeded data.
    assert.equal(await page.locator('.graphiql-tab').count(), EXAMPLES.length);
    for (let tab = 0; tab < EXAMPLES.length; tab += 1) {
      await page.locator('.graphiql-tab').nth(tab).click();
      // Let GraphiQL switch the editor to the tab's operation before running it.
      await page.locator('.graphiql-tab').nth(tab).and(page.locator('.graphiql-tab-active')).waitFor();
      await page.waitForTimeout(300);
      await page.locator('.graphiql-execute-button').click();
      // Evaluated in the page, where `document` exists.
      await page.waitForFunction(`/"data"|"errors"/.test(document.querySelector('.result-window')?.textContent ?? '')`, undefined, { timeout: 30_000 });
      const result = await page.locator('.result-window').innerText();
      assert.doesNotMatch(result, /"errors"/, `${EXAMPLES[tab].title}: ${result.slice(0, 500)}`);
      if (tab === 0) assert.match(result, /"sid": "000100007"/);
      if (tab === 1) await page.screenshot({ path: path.join(ROOT, '.scratch/graphiql.png') });
    }
    // Everything came from the gateway itself: no CDN, nothing off this machine.
    for (const url of requested) assert.match(url, /^(http:\/\/127\.0\.0\.1:\d+\/|data:|blob:)/, url);
  });
});
