/**
 * What an action did, carried to the page it returns to in the query string
 * (`done=retry&live=2&archived=1&expected=3&algorithm=merged`). Only numbers
 * and known words are read back, so the sentence is always ours.
 */
import * as v from 'valibot';
import { WRITE_ALGORITHMS, type WriteAlgorithm } from '../trigger-log/constants.ts';
import { ACTION_PAST, ADMIN_ACTIONS, type AdminAction } from './actions.ts';

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
import { plural } from './format.ts';

export interface Notice {
  readonly action: AdminAction;
  readonly live: number;
  readonly archived: number;
  /** How many the confirmation announced. */
  readonly expected: number;
  readonly writeAlgorithm: WriteAlgorithm | undefined;
}

const count = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));
const NoticeSchema = v.object({
  done: v.picklist(ADMIN_ACTIONS),
  live: count,
  archived: count,
  expected: count,
  algorithm: v.optional(v.picklist(WRITE_ALGORITHMS)),
});

const NOTICE_KEYS = ['done', 'live', 'archived', 'expected', 'algorithm'] as const;

/** The notice in a query string, if a valid one is there. */
export function readNotice(search: URLSearchParams): Notice | undefined {
  const picked = Object.fromEntries(NOTICE_KEYS.flatMap((key) => (search.has(key) ? [[key, search.get(key)!]] : [])));
  const result = v.safeParse(NoticeSchema, picked);
  if (!result.success) return undefined;
  const { done, live, archived, expected, algorithm } = result.output;
  return { action: done, live, archived, expected, writeAlgorithm: algorithm };
}

/** `target` (a path with a query) with the notice's parameters in place of any old ones. */
export function withNotice(target: string, notice: Notice): string {
  const [path, query = ''] = target.split('?', 2) as [string, string?];
  const search = new URLSearchParams(query);
  for (const key of NOTICE_KEYS) search.delete(key);
  search.set('done', notice.action);
  search.set('live', String(notice.live));
  search.set('archived', String(notice.archived));
  search.set('expected', String(notice.expected));
  if (notice.writeAlgorithm !== undefined) search.set('algorithm', notice.writeAlgorithm);
  return `${path}?${search}`;
}


/** The sentence a person reads. */
export function noticeText(notice: Notice): string {
  const changed = notice.live + notice.archived;
  const how = notice.writeAlgorithm === undefined ? '' : ` with ${notice.writeAlgorithm} writes`;
  let text = `${capitalized(ACTION_PAST[notice.action])} ${plural(changed, 'log')} (${notice.live} live, ${notice.archived} archived)${how}.`;
  if (changed < notice.expected) {
    const left = notice.expected - changed;
    text += ` ${plural(notice.expected, 'log')} were confirmed; ${plural(left, 'log')} had changed in the meantime (or were held by another worker) and ${left === 1 ? 'was' : 'were'} left as ${left === 1 ? 'it was' : 'they were'}.`;
  } else if (changed > notice.expected) {
    text += ` ${plural(changed - notice.expected, 'more log')} than confirmed matched by then.`;
  }
  return text;
}
