import assert from 'node:assert/strict';
import { CallIntervals } from '../own-time.ts';

describe('the gateway\'s own time (own-time.ts)', () => {
  it('counts calls in parallel once, gaps between calls as the gateway\'s, and nothing below zero', () => {
    const calls = new CallIntervals();
    const t = calls.arrivedAt;
    assert.equal(calls.covered(), 0);
    assert.equal(calls.own(t + 7), 7, 'no calls: all of it is the gateway\'s');
    // Given out of order: two overlapping (2–10, 5–15), one inside another (6–8), one after a gap (20–25).
    calls.add(t + 20, t + 25);
    calls.add(t + 5, t + 15);
    calls.add(t + 2, t + 10);
    calls.add(t + 6, t + 8);
    assert.equal(calls.covered(), 13 + 5);
    assert.equal(calls.own(t + 30), 30 - 18);
    assert.equal(calls.own(t + 1), 0, 'never negative');
  });
});
