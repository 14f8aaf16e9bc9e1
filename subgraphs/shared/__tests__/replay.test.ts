// The replay guard alone: single use within the retention, forgetting after it, and a
// memory that holds only what is still within it however many ids went by.
import assert from 'node:assert/strict';
import { ReplayGuard } from '../replay.ts';

describe('subgraphs/shared replay guard', () => {
  it('accepts an id once, refuses it again within the retention, and forgets it after', () => {
    const guard = new ReplayGuard(1000);
    assert.equal(guard.firstUse('a', 10_000), true);
    assert.equal(guard.firstUse('a', 10_999), false);
    assert.equal(guard.firstUse('b', 10_500), true);
    assert.equal(guard.firstUse('a', 11_000), true, 'a was forgotten at its deadline and is a first use again');
    assert.equal(guard.firstUse('b', 11_100), false, 'b arrived later, so it is still remembered');
  });

  it('keeps deadlines in order when the clock steps back, so nothing is forgotten early', () => {
    const guard = new ReplayGuard(1000);
    guard.firstUse('late', 20_000);
    guard.firstUse('stepped-back', 5_000);
    assert.equal(guard.firstUse('late', 20_999), false);
    assert.equal(guard.firstUse('stepped-back', 20_999), false);
  });

  it('holds only the ids within the retention, with 100 or 100 000 going by', () => {
    for (const count of [100, 100_000]) {
      const guard = new ReplayGuard(1000);
      for (let i = 0; i < count; i += 1) assert.equal(guard.firstUse(`id-${i}`, i), true);
      assert.equal(guard.size, Math.min(count, 1000));
      assert.equal(guard.firstUse(`id-${count - 1}`, count), false);
      assert.equal(guard.firstUse('id-0', count - 1 + 1000), true, 'the first id is forgotten a retention after the last arrival');
      assert.equal(guard.size, 1);
    }
  });
});
