// npm run report -- <name> [--from YYYY-MM-DD --to YYYY-MM-DD | --on YYYY-MM-DD] [--by …]
//                  [--days N] [--format csv|json|html] [--out FILE] [--force]
// npm run report -- --list | --help | <name> --help
// Runs a report through the gateway as the user of OBTS_TOKEN (or, outside production, a
// development token issued here), writes it to --out (temporary file, renamed at the end)
// or stdout, and shows progress on stderr. Exit 0 done, 1 the run failed, 2 bad input.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { GatewayClient } from './client.ts';
import { REPORTS, findReport } from './definitions/index.ts';
import { ReportError, usage } from './errors.ts';
import { resolveOptions, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './options.ts';
import { checkTarget, fileSink, stdoutSink } from './output/sink.ts';
import { createProgress, peakMemoryMb } from './progress.ts';
import { FORMATS, runReport, type Format } from './run.ts';
import { reportPurpose, reportToken } from './token.ts';
import type { ReportDefinition } from './types.ts';

const OPTIONS = {
  from: { type: 'string' }, to: { type: 'string' }, on: { type: 'string' }, by: { type: 'string' }, days: { type: 'string' },
  format: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, gateway: { type: 'string' },
  'page-size': { type: 'string' }, quiet: { type: 'boolean' }, list: { type: 'boolean' }, help: { type: 'boolean' },
} as const;

const GENERAL_HELP = `usage: npm run report -- <report> [options]
       npm run report -- --list          the reports and their options
       npm run report -- <report> --help  one report's options

options:
  --from YYYY-MM-DD --to YYYY-MM-DD   period (reports over a period)
  --on YYYY-MM-DD                     date counted on (default today, Connecticut time)
  --by <grouping>                     a grouping the report offers (see --list)
  --days N                            look-ahead in days (protective-orders)
  --format csv|json|html              default: from --out's extension, else csv
  --out FILE                          write here (temporary file renamed at the end); default stdout
  --force                             replace an existing --out
  --gateway URL                       default OBTS_GATEWAY_URL, else http://127.0.0.1:$GATEWAY_PORT/graphql (4000)
  --page-size N                       people per walked page, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})
  --quiet                             no progress on stderr

token: OBTS_TOKEN; outside production, a development token is issued for OBTS_REPORT_USER
(default the OS account) with roles OBTS_REPORT_ROLES (default analyst).
Reports: reports/README.md (each one's definition).`;

function describe(report: ReportDefinition): string {
  const dates = { on: '--on', period: '--from --to', 'on+period': '--on, --from --to' }[report.dates];
  const extra = [
    report.by ? `--by ${report.by.join('|')} (default ${report.by[0]})` : '',
    report.days ? `--days N: ${report.days.meaning} (default ${report.days.default}, at most ${report.days.max})` : '',
    report.maxPeriodDays ? `period at most ${report.maxPeriodDays} days` : '',
  ].filter(Boolean);
  return `${report.name.padEnd(20)} ${report.summary}\n${' '.repeat(21)}${report.kind === 'query' ? 'one query' : 'walk'}; ${dates}${extra.length ? `; ${extra.join('; ')}` : ''}`;
}

function formatOf(format: string | undefined, out: string | undefined): Format {
  const chosen = format ?? (out ? path.extname(out).slice(1).toLowerCase() : '') ?? '';
  if (format === undefined && !(FORMATS as readonly string[]).includes(chosen)) return 'csv';
  if (!(FORMATS as readonly string[]).includes(chosen)) throw usage(`--format ${chosen}: expected one of ${FORMATS.join(', ')}`);
  return chosen as Format;
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, stderr: NodeJS.WriteStream = process.stderr): Promise<number> {
  const say = (text: string) => stderr.write(`${text}\n`);
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      throw usage(`${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}; see --help`);
    }
    const { values, positionals } = parsed;
    if (values.list) {
      process.stdout.write(`${REPORTS.map(describe).join('\n')}\n`);
      return 0;
    }
    if (positionals.length > 1) throw usage(`one report at a time; got ${positionals.join(', ')}`);
    const [name] = positionals;
    if (!name) {
      if (values.help) {
        process.stdout.write(`${GENERAL_HELP}\n`);
        return 0;
      }
      throw usage('name a report, e.g. npm run report -- warrants; --list names them all');
    }
    const report = findReport(name);
    if (!report) throw usage(`unknown report "${name}"; expected one of ${REPORTS.map((r) => r.name).join(', ')}`);
    if (values.help) {
      process.stdout.write(`${describe(report)}\n\n${GENERAL_HELP}\n`);
      return 0;
    }
    const options = resolveOptions(report, { from: values.from, to: values.to, on: values.on, by: values.by, days: values.days, pageSize: values['page-size'] });
    const format = formatOf(values.format, values.out);
    if (values.out) checkTarget(values.out, values.force === true);
    const identity = await reportToken(env);
    const url = values.gateway ?? env.OBTS_GATEWAY_URL ?? `http://127.0.0.1:${env.GATEWAY_PORT || 4000}/graphql`;
    const client = new GatewayClient({ url, token: identity.token, purpose: reportPurpose(env) });
    const progress = createProgress({ stream: stderr, quiet: values.quiet === true });
    const started = Date.now();
    const sink = values.out ? fileSink(values.out) : stdoutSink();
    const result = await runReport(report, options, { client, sink, format, user: identity.user, roles: identity.roles, env, progress });
    if (!values.quiet) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      say(`done: ${report.name}, ${result.rows} rows to ${sink.describe}, ${result.requests} gateway requests, ${seconds} s, peak memory ${peakMemoryMb()} MB`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ReportError) {
      say(`report: ${error.message}`);
      return error.exitCode;
    }
    say(`report: failed unexpectedly (${(error as Error).message}); nothing was written`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
