// npm run audit -- verify                 checks the hash chain; names the first broken record
// npm run audit -- who-viewed <sid>       lists who saw an offender, when, why, from where
// npm run audit -- prune                  removes records older than AUDIT_RETENTION_DAYS (≥ 365)
// Options: --user <name> (who is reading; default the OS account). Reads the log the
// gateway writes (AUDIT_DATABASE_URL, else AUDIT_LOG_FILE / the data folder), and records
// each read in it (CJIS AU-9). Exit code 1 when verify finds a break.
import { parseCommandLine, defineCli } from './cli.ts';
import { auditSettings } from '../gateway/config.ts';
import { openAuditStore } from '../gateway/audit/store.ts';
import { pruneLog, reader, verifyLog, whoViewed } from '../gateway/audit/read.ts';

const spec = defineCli({
  command: 'audit',
  summary: 'Reads the audit log the gateway writes (AUDIT_DATABASE_URL, else AUDIT_LOG_FILE / the data folder); every read is itself recorded (CJIS AU-9). Exit code 1 when verify finds a break.',
  positionals: '<verify | who-viewed SID | prune>',
  options: { user: { type: 'string', value: 'NAME', help: 'who is reading (default: the OS account)' } },
  examples: ['npm run audit -- verify', 'npm run audit -- who-viewed 000100007 --user auditor1', 'npm run audit -- prune'],
});
let parsed;
try {
  parsed = parseCommandLine(spec);
} catch (error) {
  console.error(`audit: ${(error as Error).message}`);
  process.exit(2);
}
if (!parsed) process.exit(0);
const { values, positionals } = parsed;
const [command, argument] = positionals;
const settings = auditSettings();
const store = await openAuditStore(settings);
const user = reader(values.user);
let exitCode = 0;
try {
  if (command === 'verify') {
    const report = await verifyLog(store, user);
    if (report.broken) {
      console.log(`BROKEN: record ${report.broken.seq ?? '?'} (line ${report.broken.position}): ${report.broken.problem}`);
      exitCode = 1;
    } else {
      console.log(`ok: ${report.count} records, chain intact${report.firstSeq && report.firstSeq > 1 ? ` (starts at record ${report.firstSeq}; earlier ones removed by retention)` : ''} — ${store.describe}`);
    }
  } else if (command === 'who-viewed') {
    if (!argument || !/^\d{9}$/.test(argument)) throw new Error(`who-viewed ${argument ?? ''}: expected a SID, 9 digits, e.g. 000100007`);
    const records = await whoViewed(store, argument, user);
    console.log(`${records.length} operation(s) disclosed ${argument}`);
    for (const record of records) {
      console.log([record.time, record.user, record.ori, record.roles.join('+'), `purpose ${record.purpose}`, record.operationName ?? '(anonymous)', record.outcome, record.clientAddress, record.requestId].join('  '));
    }
  } else if (command === 'prune') {
    console.log(`removed ${await pruneLog(store, settings.retentionDays, user)} record(s) older than ${settings.retentionDays} days`);
  } else {
    throw new Error(`unknown command "${command ?? ''}"; expected verify, who-viewed <sid> or prune`);
  }
} catch (error) {
  console.error(`audit: ${(error as Error).message}`);
  exitCode = 2;
} finally {
  await store.close();
}
process.exit(exitCode);
