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

test('tells apart many texts of one length (inlined fixed-width ids), and forgets them in order', () => {
  const cache = new TextCache<number>(1000);
  const text = (n: number) => `select * from salesforce."user" where id = ${String(n).padStart(6, '0')}`;
  for (let n = 0; n < 1500; n++) cache.set(text(n), n);
  assert.equal(cache.size, 1000);
  assert.equal(cache.get(text(499)), undefined);
  for (let n = 500; n < 1500; n++) assert.equal(cache.get([text(n)].join('')), n);
  cache.set(text(700), -700);
  assert.equal(cache.get(text(700)), -700);
  assert.equal(cache.get(text(1500)), undefined);
  for (let n = 1500; n < 2500; n++) cache.set(text(n), n);
  assert.equal(cache.size, 1000);
  assert.equal(cache.get(text(1499)), undefined);
  assert.equal(cache.get(text(2499)), 2499);
});

test('is bounded by bytes: large texts push out the oldest, and a text larger than the budget is not kept', () => {
  const cache = new TextCache<number>(1000, 1024 * 1024);
  const big = (n: number) => `select ${n} -- ${'x'.repeat(256 * 1024)}`;
  for (let n = 0; n < 1500; n++) cache.set(big(n), n);
  assert.ok(cache.bytes <= 1024 * 1024, `${cache.bytes} bytes held`);
  assert.equal(cache.size, 1);
  assert.equal(cache.get(big(1499)), 1499);
  assert.equal(cache.get(big(1498)), undefined);
  cache.set('select 1', 1);
  assert.equal(cache.size, 2);
  cache.set(`select ${'y'.repeat(600 * 1024)}`, 2);
  assert.equal(cache.get(`select ${'y'.repeat(600 * 1024)}`), undefined);
  assert.equal(cache.get('select 1'), 1);
});
