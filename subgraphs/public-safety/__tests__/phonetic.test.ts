// Soundex against the published American Soundex examples, and the legacy-column codecs.
import assert from 'node:assert/strict';
import { soundex } from '../store/phonetic.ts';
import { fromCcyymmdd, fromDb2Timestamp, fromNcicHeight, toCcyymmdd, toDb2Timestamp, toNcicHeight } from '../store/legacy.ts';

describe('public-safety phonetic codes and legacy columns', () => {
  it('codes names as American Soundex does', () => {
    const examples: Record<string, string> = {
      ROBERT: 'R163', RUPERT: 'R163', RUBIN: 'R150', ASHCRAFT: 'A261', ASHCROFT: 'A261', TYMCZAK: 'T522',
      PFISTER: 'P236', HONEYMAN: 'H555', LEE: 'L000', GUTIERREZ: 'G362', JACKSON: 'J250', SMITH: 'S530', SMYTH: 'S530',
      "O'BRIEN": 'O165', 'VAN DER BERG': 'V536', 'núñez': 'N520', A: 'A000',
    };
    for (const [name, code] of Object.entries(examples)) assert.equal(soundex(name), code, name);
    assert.equal(soundex("'- "), '');
  });

  it('maps CCYYMMDD dates, DB2 timestamps and NCIC heights both ways', () => {
    assert.equal(toCcyymmdd('1987-04-09'), '19870409');
    assert.equal(fromCcyymmdd('19870409'), '1987-04-09');
    assert.equal(fromCcyymmdd('00000000'), null);
    assert.equal(toDb2Timestamp('2024-03-15T10:22:05.123Z'), '2024-03-15-10.22.05.123000');
    assert.equal(toDb2Timestamp('2024-03-15T10:22:05'), '2024-03-15-10.22.05.000000');
    assert.equal(fromDb2Timestamp('2024-03-15-10.22.05.123000'), '2024-03-15T10:22:05.123Z');
    assert.equal(toNcicHeight(71), '511');
    assert.equal(toNcicHeight(60), '500');
    assert.equal(fromNcicHeight('511'), 71);
    assert.equal(fromNcicHeight('000'), null);
  });
});
