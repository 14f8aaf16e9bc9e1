// A class in a real browser (Chromium from test/support/browser.ts, driven by playwright-core),
// against a gateway in training mode: a trainee signs in with the link on the class sheet,
// the banner shows who they are, a fresh browser runs the first lesson without errors, two
// trainees with different roles get different answers to the same lesson, the role picker
// switches among the class roles, a pasted token survives a reload, and "Reset this PC"
// forgets everything. Screenshots go to .scratch/ (docs/screenshots/ holds reviewed copies).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { generateStories } from '../seed/generate.ts';
import { startStack, type Stack } from './support/stack.ts';
import { ROOT } from '../schema/subgraphs.ts';
import { launchChromium } from './support/browser.ts';
import { loadDevKey } from '../gateway/auth/dev-key.ts';
import { issueClass, writeClassFile, type ClassFile } from '../training/roster.ts';

const SHOTS = path.join(ROOT, '.scratch');

describe('Training a class in a real browser', function () {
  this.timeout(300_000); // a shared machine under load starts the stack slowly
  let stack: Stack;
  let browser: Browser;
  let base: string;
  let file: ClassFile;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack(generateStories({ offenders: 50, seed: 1 }), { tag: 'trainingui', env: { OBTS_MODE: 'training' } });
    base = stack.gateway.url.replace(/\/graphql$/, '');
    file = await issueClass(await loadDevKey(stack.dataDir), { trainer: 'jdoe', roles: ['parole', 'victim-services'], hours: 4, ori: 'CT0064200', size: 3, maxSize: 30 });
    writeClassFile(stack.dataDir, file);
    browser = (await launchChromium()).browser;
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  // A fresh browser (its own context: empty local and session storage) for one trainee.
  async function signedIn(code: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    const page = await context.newPage();
    await page.goto(`${base}/graphiql?code=${code}`);
    await page.waitForSelector('.graphiql-container', { timeout: 60_000 });
    await page.waitForSelector('#obts-identity');
    return page;
  }
  // GraphiQL loads its editors (CodeMirror) after the page; a lesson's Run waits for its variables
  // to be in the editor, as a person would see them, and reads the whole answer from the result editor.
  const editorValue = (selector: string) => `document.querySelector('${selector} .CodeMirror')?.CodeMirror?.getValue() ?? ''`;
  async function runActiveTab(page: Page, previous = ''): Promise<string> {
    await page.waitForFunction(`${editorValue('.graphiql-editor-tool')}.includes('"')`, undefined, { timeout: 30_000 });
    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(`((text) => /"data"|"errors"/.test(text) && text !== ${JSON.stringify(previous)})(${editorValue('.result-window')})`, undefined, { timeout: 30_000 });
    return String(await page.evaluate(editorValue('.result-window')));
  }
  const field = (page: Page, name: string) => page.locator(`#obts-identity [data-field="${name}"]`).innerText();

  it('signs a trainee in from the sheet link; the banner shows user, role, ORI, purpose and expiry; the first lesson runs at once', async () => {
    const [parole] = file.trainees;
    const page = await signedIn(parole.code);
    assert.equal(new URL(page.url()).search, '', 'the code is dropped from the address bar');
    assert.equal(await field(page, 'user'), `trainee-01 (${parole.sub})`);
    assert.equal(await field(page, 'roles'), 'parole');
    assert.equal(await field(page, 'ori'), 'CT0064200');
    assert.equal(await field(page, 'purpose'), 'C');
    assert.match(await field(page, 'expires'), /\(in (3|4) h\)/);
    assert.match(await page.locator('#banner').innerText(), /Synthetic data only/);
    // A fresh browser's first Run, without touching anything, gets the lesson's answer.
    const result = await runActiveTab(page);
    assert.doesNotMatch(result, /"errors"/, result.slice(0, 400));
    assert.match(result, /"sid": "000100007"/);
    assert.match(result, /"synthetic": true/);
    await page.screenshot({ path: path.join(SHOTS, 'training-parole.png') });
    // The docs pane names each field's agency, source system and permission.
    await page.locator('button[aria-label="Show Documentation Explorer"]').click();
    await page.locator('.graphiql-doc-explorer-type-name', { hasText: /^Query$/ }).first().click();
    await page.locator('.graphiql-doc-explorer-field-name', { hasText: /^courtCase$/ }).first().click();
    await page.waitForSelector('text=Permission: ccms:read');
    assert.match(await page.locator('.graphiql-doc-explorer-content').innerText(), /Source: Judicial Branch \(judicial subgraph\); system CCMS\. Permission: ccms:read — CCMS court cases/);
    await page.screenshot({ path: path.join(SHOTS, 'training-docs.png') });
    // The Explorer builds queries by clicking: it lists the root fields.
    await page.locator('button[aria-label="Show GraphiQL Explorer"], button[aria-label="Show Explorer"]').first().click();
    await page.waitForSelector('.graphiql-explorer-root, .doc-explorer-contents');
    assert.match(await page.locator('.graphiql-plugin').innerText(), /searchOffenders/);
    // The role picker switches to the other class role: the same lesson now has denials.
    await page.locator('#obts-role').selectOption('victim-services');
    assert.equal(await field(page, 'roles'), 'victim-services');
    const switched = await runActiveTab(page, result);
    assert.match(switched, /needs permission \\"cch:read\\"/);
    assert.match(switched, /"arrests": null/);
    await page.context().close();
  });

  it('two trainees with different roles see different answers to the same lesson', async () => {
    const [, victim] = file.trainees;
    const page = await signedIn(victim.code);
    assert.equal(await field(page, 'roles'), 'victim-services');
    const result = await runActiveTab(page);
    assert.match(result, /"arrests": null/);
    assert.match(result, /FORBIDDEN/);
    assert.match(result, /"estimatedReleaseDate"/);
    // The lessons list says whom each lesson is for.
    await page.locator('button[aria-label="Show Lessons"]').click();
    await page.waitForSelector('.obts-lessons li');
    assert.match(await page.locator('.obts-lessons').innerText(), /For victim-services/);
    await page.screenshot({ path: path.join(SHOTS, 'training-victim-services.png') });
    await page.context().close();
  });

  it('keeps a pasted token across a reload, and "Reset this PC" forgets it', async () => {
    const third = file.trainees[2];
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    const page = await context.newPage();
    await page.goto(`${base}/graphiql`);
    await page.waitForSelector('#obts-code');
    await page.screenshot({ path: path.join(SHOTS, 'training-sign-in.png') });
    await page.locator('#obts-paste').click();
    await page.locator('#obts-token-input').fill(`Bearer ${third.token}`);
    await page.locator('#obts-token-use').click();
    await page.waitForSelector('#obts-identity');
    await page.reload();
    await page.waitForSelector('#obts-identity');
    assert.equal(await field(page, 'user'), `trainee-03 (${third.sub})`);
    await page.locator('#obts-reset').click();
    await page.waitForSelector('#obts-code');
    assert.equal(await page.evaluate('window.localStorage.length + window.sessionStorage.length'), 0);
    await context.close();
  });
});
