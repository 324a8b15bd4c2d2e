import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextCache } from '../../src/guard/text-cache.ts';

test('finds a text built afresh, and tells apart texts of the same length', () => {
  const cache = new TextCache<string>(10);
  cache.set('delete from a', 'A');
  cache.set('delete from b', 'B');
  const built = ['delete', 'from', 'b'].join(' ');
  assert.equal(cache.get(built), 'B');
  assert.equal(cache.get('delete from a'), 'A');
  assert.equal(cache.get('delete from c'), undefined);
  cache.set('delete from a', 'A2');
  assert.equal(cache.get('delete from a'), 'A2');
  assert.equal(cache.size, 2);
});

test('keeps the last texts set up to its capacity, forgetting the oldest first', () => {
  const cache = new TextCache<number>(3);
  for (const [n, text] of ['t1', 't2', 'long text 3', 't4'].entries()) cache.set(text, n);
  assert.equal(cache.size, 3);
  assert.equal(cache.get('t1'), undefined);
  assert.equal(cache.get('t2'), 1);
  assert.equal(cache.get('long text 3'), 2);
  assert.equal(cache.get('t4'), 3);
});
