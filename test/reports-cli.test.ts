// `npm run report` end to end on the embedded stack: files in each format (CSV read back
// with an RFC 4180 parser of this test's own), --list and --help, and every bad input of
// the issue — a clear message, a non-zero exit, and no file (partial or not) left behind.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { generateStories } from '../seed/generate.ts';
import { main } from '../reports/cli.ts';
import { GatewayClient } from '../reports/client.ts';
import { findReport } from '../reports/definitions/index.ts';
import { ReportError } from '../reports/errors.ts';
import { resolveOptions } from '../reports/options.ts';
import { fileSink } from '../reports/output/sink.ts';
import { collectReport, runReport } from '../reports/run.ts';
// These tests run reports as purpose C, so that each page is audited as one operation they
// can check; purpose R (the CLI's default) gets GATEWAY_MAX_COST_STATISTICAL instead.
const REPORT_LIMITS = { GATEWAY_MAX_COST: '5000000' };
import { startStack, type Stack } from './support/stack.ts';

/** Parses RFC 4180 text (quoted fields, doubled quotes, CRLF) into records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i += 1; } else field += c;
  }
  return records;
}

describe('npm run report (CLI, embedded stack)', function () {
  this.timeout(300_000);
  let stack: Stack;
  let folder: string;
  let env: NodeJS.ProcessEnv;
  let stderr: string;
  const errStream = () => Object.assign(new Writable({ write(chunk, _encoding, done) { stderr += String(chunk); done(); } }), { isTTY: false }) as unknown as NodeJS.WriteStream;
  const cli = async (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    stderr = '';
    return main(args, { ...env, ...extra }, errStream());
  };
  const leftovers = () => readdirSync(folder).filter((name) => name.endsWith('.partial'));

  before(async () => {
    stack = await startStack(generateStories({ offenders: 300, seed: 29 }), { engines: 'embedded', env: REPORT_LIMITS });
    folder = mkdtempSync(path.join(os.tmpdir(), 'obts-reports-'));
    env = { OBTS_TOKEN: await stack.token({ user: 'cli-analyst', roles: ['analyst'] }), OBTS_GATEWAY_URL: stack.gateway.url };
  });
  after(async () => {
    await stack?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('writes CSV (RFC 4180, header, ISO dates) with the same rows the library returns', async () => {
    const out = path.join(folder, 'warrants.csv');
    assert.equal(await cli(['warrants', '--on', '2026-06-30', '--from', '2024-01-01', '--to', '2025-12-31', '--out', out]), 0, stderr);
    assert.match(stderr, /done: warrants, \d+ rows to .*warrants\.csv, 1 gateway requests/);
    const records = parseCsv(readFileSync(out, 'utf8'));
    const report = findReport('warrants')!;
    assert.deepEqual(records[0], report.columns.map((c) => c.key));
    const client = new GatewayClient({ url: stack.gateway.url, token: env.OBTS_TOKEN!, purpose: 'C' });
    const { rows } = await collectReport(report, resolveOptions(report, { on: '2026-06-30', from: '2024-01-01', to: '2025-12-31' }), client);
    assert.ok(rows.length > 0);
    assert.deepEqual(records.slice(1), rows.map((row) => report.columns.map((c) => (row[c.key] === null ? '' : String(row[c.key])))));
  });

  it('writes JSON and a self-contained HTML page with SVG charts and no script', async () => {
    const json = path.join(folder, 'orders.json');
    assert.equal(await cli(['protective-orders', '--on', '2026-06-30', '--days', '60', '--out', json]), 0, stderr);
    const parsed = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(parsed.report, 'protective-orders');
    assert.deepEqual(parsed.parameters, { on: '2026-06-30', days: 60 });
    assert.ok(parsed.rows.length > 0 && parsed.rows.every((row: any) => typeof row.in_effect === 'number'));
    const html = path.join(folder, 'population.html');
    assert.equal(await cli(['population', '--format', 'html', '--out', html, '--page-size', '100']), 0, stderr);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /^<!DOCTYPE html>/);
    assert.match(page, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(page, /<h2>DOC custody<\/h2>/);
    assert.doesNotMatch(page, /<script|<link|src=|@import/i);
    assert.match(stderr, /progress: 3\/3 pages, 300 rows/);
  });

  it('runs with a development token it issues itself outside production, and refuses to outside it', async () => {
    const out = path.join(folder, 'self.csv');
    assert.equal(await cli(['warrants', '--out', out], { OBTS_TOKEN: '', OBTS_DATA_DIR: stack.dataDir, OBTS_REPORT_USER: 'self-issued' }), 0, stderr);
    assert.equal(await cli(['warrants'], { OBTS_TOKEN: '', OBTS_MODE: 'production' }), 1);
    assert.match(stderr, /no token: set OBTS_TOKEN/);
  });

  it('lists the reports and answers --help on every command', async () => {
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((text: string) => { written.push(String(text)); return true; }) as typeof process.stdout.write;
    try {
      assert.equal(await cli(['--list']), 0);
      assert.equal(await cli(['--help']), 0);
      assert.equal(await cli(['recidivism', '--help']), 0);
    } finally {
      process.stdout.write = original;
    }
    const text = written.join('');
    for (const name of ['case-processing', 'time-to-disposition', 'population', 'warrants', 'protective-orders', 'recidivism', 'discrepancies', 'clean-slate', 'audit-review']) assert.match(text, new RegExp(name));
    assert.match(text, /--by release-type\|statewide/);
    assert.match(text, /usage: npm run report/);
  });

  it('refuses bad input with a message saying what was expected, exit 2, and writes nothing', async () => {
    const out = path.join(folder, 'bad.csv');
    const cases: Array<[string[], RegExp]> = [
      [['nonsense'], /unknown report "nonsense"; expected one of case-processing/],
      [['case-processing', '--from', '2024-05-01', '--to', '2024-01-01', '--out', out], /--from 2024-05-01 is after --to 2024-01-01/],
      [['case-processing', '--from', '2010-01-01', '--to', '2024-01-01', '--out', out], /spans 5113 days; case-processing covers at most 1827 days/],
      [['case-processing', '--from', '2024-02-30', '--to', '2024-03-01'], /--from "2024-02-30" is not a date; expected a real calendar date as YYYY-MM-DD/],
      [['case-processing', '--on', '2024-01-01'], /covers a period; use --from YYYY-MM-DD --to YYYY-MM-DD/],
      [['warrants', '--colour', 'red'], /Unknown option '--colour'/],
      [['warrants', '--format', 'xlsx', '--out', out], /--format xlsx: expected one of csv, json, html/],
      [['warrants', '--by', 'county'], /--by county: warrants groups by one of court, statewide/],
      [['clean-slate', '--from', '2024-01-01', '--to', '2024-12-31', '--out', out], /clean-slate is counted on one date; use --on YYYY-MM-DD, not --from\/--to/],
      [['clean-slate', '--on', '2027-13-01', '--out', out], /--on "2027-13-01" is not a date; expected a real calendar date as YYYY-MM-DD/],
      [['protective-orders', '--days', '9999'], /--days 9999: expected a whole number from 0 to 366/],
      [['warrants', '--out', '/nonexistent-folder/x.csv'], /the folder \/nonexistent-folder does not exist/],
    ];
    for (const [args, message] of cases) {
      assert.equal(await cli(args), 2, args.join(' '));
      assert.match(stderr, message, args.join(' '));
    }
    assert.equal(existsSync(out), false);
    const existing = path.join(folder, 'existing.csv');
    writeFileSync(existing, 'keep me');
    assert.equal(await cli(['warrants', '--out', existing]), 2);
    assert.match(stderr, /already exists; add --force to replace it/);
    assert.equal(readFileSync(existing, 'utf8'), 'keep me');
    assert.equal(await cli(['warrants', '--out', existing, '--force', '--quiet']), 0, stderr);
    assert.match(readFileSync(existing, 'utf8'), /^section,court,/);
    assert.deepEqual(leftovers(), []);
  });

  it('stops with exit 1 on an expired or refused token, before writing anything', async () => {
    const out = path.join(folder, 'token.csv');
    const expired = await stack.token({ issuedAt: new Date(Date.now() - 9 * 3600_000), ttlSeconds: 3600 });
    assert.equal(await cli(['warrants', '--out', out], { OBTS_TOKEN: expired }), 1);
    assert.match(stderr, /OBTS_TOKEN expired at .*; get a fresh one/);
    const unknownRole = await stack.token({ roles: ['janitor'] });
    assert.equal(await cli(['warrants', '--out', out], { OBTS_TOKEN: unknownRole }), 1);
    assert.match(stderr, /the gateway refused/);
    assert.equal(existsSync(out), false);
    assert.deepEqual(leftovers(), []);
  });

  it('audit-review: operations and refusals from the audit log as the log itself says, only for audit:read, and the read is audited', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const log = path.join(stack.dataDir, 'audit', 'audit.jsonl');
    const records = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line)).filter((r) => r.event !== 'audit-read' && r.time.slice(0, 10) === day);
    const out = path.join(folder, 'audit.json');
    const auditor = await stack.token({ user: 'cli-auditor', roles: ['auditor'] });
    assert.equal(await cli(['audit-review', '--from', day, '--to', day, '--out', out], { OBTS_TOKEN: auditor, OBTS_DATA_DIR: stack.dataDir }), 0, stderr);
    const parsed = JSON.parse(readFileSync(out, 'utf8'));
    const operations = parsed.rows.filter((r: any) => r.section === 'operations');
    assert.equal(operations.reduce((sum: number, r: any) => sum + r.count, 0), records.length);
    // The analyst's runs: statistical reports under purpose R (one aggregate record a run),
    // the rest under C; each purpose is its own row, with the log's own count.
    const mine = records.filter((r) => r.user === 'cli-analyst' && r.outcome === 'ok');
    assert.ok(mine.length > 0);
    for (const purpose of new Set(mine.map((r) => r.purpose))) {
      assert.equal(operations.find((r: any) => r.user === 'cli-analyst' && r.outcome === 'ok' && r.purpose === purpose).count, mine.filter((r) => r.purpose === purpose).length, `purpose ${purpose}`);
    }
    const refused = records.filter((r) => r.outcome === 'refused' || r.event === 'refused');
    assert.equal(parsed.rows.filter((r: any) => r.section === 'refusals').reduce((sum: number, r: any) => sum + r.count, 0), refused.length);
    const after = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    assert.ok(after.some((r) => r.event === 'audit-read' && r.user === 'cli-auditor' && r.operationName === 'audit-review'), 'the read is in the log');
    const denied = path.join(folder, 'audit-denied.csv');
    assert.equal(await cli(['audit-review', '--from', day, '--to', day, '--out', denied], { OBTS_DATA_DIR: stack.dataDir }), 0, stderr);
    assert.match(readFileSync(denied, 'utf8'), /^section,user,ori,purpose,outcome,reason,distinct_offenders,count\r\nnote,the audit log withheld: your roles do not grant audit:read/);
  });

  it('leaves no file when an agency goes down in the middle of a walk', async () => {
    const out = path.join(folder, 'walk.csv');
    // The Department of Correction stops after the first page has been answered.
    class StoppingClient extends GatewayClient {
      override async request<T>(query: string, variables?: Record<string, unknown>) {
        if (this.requests === 1) await stack.subgraphs.correction.stop();
        return super.request<T>(query, variables);
      }
    }
    const client = new StoppingClient({ url: stack.gateway.url, token: env.OBTS_TOKEN!, purpose: 'C' });
    const report = findReport('case-processing')!;
    await assert.rejects(
      runReport(report, resolveOptions(report, { from: '2021-01-01', to: '2023-12-31', pageSize: 100 }), { client, sink: fileSink(out), format: 'csv', user: 'cli-analyst' }),
      (error: Error) => error instanceof ReportError && /Department of Correction \(OMIS, STC, Parole\) did not answer.*the report stopped/.test(error.message),
    );
    assert.equal(client.requests, 2);
    assert.equal(existsSync(out), false);
    assert.deepEqual(leftovers(), []);
    // The command line says the same, with exit 1.
    assert.equal(await cli(['recidivism', '--from', '2019-01-01', '--to', '2022-12-31', '--out', out]), 1);
    assert.match(stderr, /did not answer.*run it again when the agency answers/);
    assert.equal(existsSync(out), false);
  });
});
