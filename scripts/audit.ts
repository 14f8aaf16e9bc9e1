// npm run audit -- verify                 checks the hash chain against the signed checkpoints; names what is wrong
// npm run audit -- who-viewed <sid>       lists who saw an offender, when, why, from where
// npm run audit -- disclosures <sid>      nonconviction information disclosed about a person: what, to whom, when (C.G.S. 54-142h(c))
// npm run audit -- prune                  removes records older than AUDIT_RETENTION_DAYS (≥ 365), signing what and why
// Options: --user <name> (who is reading; default the OS account). Reads the log the
// gateway writes (AUDIT_DATABASE_URL, else AUDIT_LOG_FILE / the data folder) and its
// checkpoints (AUDIT_CHECKPOINT_*), and records each read in it (CJIS AU-9). Exit code 1
// when verify finds tampering or records no checkpoint vouches for; 2 on a usage error.
import { existsSync } from 'node:fs';
import { parseCommandLine, defineCli } from './cli.ts';
import { auditSettings } from '../gateway/config.ts';
import { openAuditStore } from '../gateway/audit/store.ts';
import { trustedKeyFile } from '../gateway/audit/checkpoint-open.ts';
import { loadTrustedPublicKey } from '../gateway/audit/checkpoint.ts';
import { pruneLog, reader, verifyLog, whoViewed } from '../gateway/audit/read.ts';
import { reportOk } from '../gateway/audit/verify.ts';
import { disclosuresOf } from '../gateway/audit/disclosures.ts';

const spec = defineCli({
  command: 'audit',
  summary: 'Reads the audit log the gateway writes (AUDIT_DATABASE_URL, else AUDIT_LOG_FILE / the data folder) and its signed checkpoints (AUDIT_CHECKPOINT_*); every read is itself recorded (CJIS AU-9). Exit code 1 when verify finds tampering or records no checkpoint vouches for; 2 on a usage error.',
  positionals: '<verify | who-viewed SID | disclosures SID | prune>',
  options: { user: { type: 'string', value: 'NAME', help: 'who is reading (default: the OS account)' } },
  examples: ['npm run audit -- verify', 'npm run audit -- who-viewed 000100007 --user auditor1', 'npm run audit -- disclosures 000100007', 'npm run audit -- prune'],
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
const user = reader(values.user);
const sidArgument = (name: string) => {
  if (!argument || !/^\d{9}$/.test(argument)) throw new Error(`${name} ${argument ?? ''}: expected a SID, 9 digits, e.g. 000100007`);
  return argument;
};
let exitCode = 0;
const store = await openAuditStore(settings).catch((error: Error) => {
  console.error(`audit: ${error.message}`);
  process.exit(2);
});
try {
  if (command === 'verify') {
    const keyFile = trustedKeyFile(settings);
    const trusted = keyFile && existsSync(keyFile) ? loadTrustedPublicKey(keyFile) : null;
    const report = await verifyLog(store, user, { trusted, retentionDays: settings.retentionDays, intervalMs: (settings.checkpointSeconds ?? 60) * 1000 });
    for (const problem of report.broken) console.log(`BROKEN: ${problem}`);
    for (const problem of report.unproven) console.log(`UNPROVEN: ${problem}`);
    if (reportOk(report)) {
      console.log(`ok: ${report.count} records, chain intact${report.firstSeq && report.firstSeq > 1 ? ` (starts at record ${report.firstSeq})` : ''}${report.newest ? `, anchored by ${report.checkpoints} signed checkpoint(s), the newest #${report.newest.n} at record ${report.newest.seq} (${report.newest.time})` : ''} — ${store.describe}`);
    } else exitCode = 1;
    for (const note of report.notes) console.log(`note: ${note}`);
  } else if (command === 'who-viewed') {
    const sid = sidArgument('who-viewed');
    const records = await whoViewed(store, sid, user);
    console.log(`${records.length} operation(s) disclosed ${sid}`);
    for (const record of records) {
      console.log([record.time, record.user, record.ori, record.roles.join('+'), `purpose ${record.purpose}`, record.operationName ?? '(anonymous)', record.outcome, record.clientAddress, `${record.requestId}${record.clientRequestId ? ` (client ${record.clientRequestId})` : ''}`].join('  '));
    }
  } else if (command === 'disclosures') {
    const sid = sidArgument('disclosures');
    const disclosures = await disclosuresOf(store, sid, user);
    console.log(`${disclosures.length} disclosure(s) of nonconviction information about ${sid} (C.G.S. 54-142h(c))`);
    for (const disclosure of disclosures) console.log([disclosure.time, disclosure.to, disclosure.ori, `purpose ${disclosure.purpose}`, disclosure.what.join(','), disclosure.requestId].join('  '));
  } else if (command === 'prune') {
    console.log(`removed ${await pruneLog(store, settings.retentionDays, user)} record(s) older than ${settings.retentionDays} days, with a signed statement in ${store.checkpoints?.describe}`);
  } else {
    throw new Error(`unknown command "${command ?? ''}"; expected verify, who-viewed <sid>, disclosures <sid> or prune`);
  }
} catch (error) {
  console.error(`audit: ${(error as Error).message}`);
  exitCode = 2;
} finally {
  await store.close();
}
process.exit(exitCode);
