// Mocha's settings live in .mocharc.json; this file only makes `npx mocha <file>` run
// that file alone. Mocha adds command-line files to the configured `spec` globs, so
// without it naming one file still ran the whole suite.
const base = require('./.mocharc.json');

const named = process.argv.slice(2).filter((arg) => !arg.startsWith('-') && /\.(test\.)?[cm]?[jt]s$/.test(arg));
module.exports = named.length ? { ...base, spec: named } : base;
