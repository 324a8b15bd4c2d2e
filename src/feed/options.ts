/** The subscriber's options, checked with valibot before anything connects. */
import * as v from 'valibot';
import { InputError } from '../errors.ts';

const GroupName = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(200, 'must be at most 200 characters'),
);

/** A group name, trimmed; an InputError when it is empty or too long. */
export function validGroupName(group: unknown): string {
  const result = v.safeParse(GroupName, group);
  if (!result.success) throw new InputError(`The group name ${result.issues[0].message}.`);
  return result.output;
}

/** The longest delay a Node timer takes (a larger one fires at once). */
const MAX_TIMER_MS = 2_147_483_647;

const wholeNumber = (min: number) => v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(min, `must be at least ${min}`));

const TuningSchema = v.object({
  batchSize: v.optional(v.pipe(wholeNumber(1), v.maxValue(10_000, 'must be at most 10000')), 100),
  concurrency: v.optional(v.pipe(wholeNumber(1), v.maxValue(1000, 'must be at most 1000')), 1),
  leaseMs: v.optional(wholeNumber(100), 30_000),
  maxAttempts: v.optional(wholeNumber(1), 8),
  retryDelayMs: v.optional(wholeNumber(0), 1_000),
  maxRetryDelayMs: v.optional(wholeNumber(0), 300_000),
  pollIntervalMs: v.optional(wholeNumber(10)),
  checkIntervalMs: v.optional(wholeNumber(100), 60_000),
  retentionMs: v.optional(wholeNumber(0), 86_400_000),
  handlerTimeoutMs: v.optional(v.pipe(wholeNumber(1), v.maxValue(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS}`)), 300_000),
});

/** The numbers that tune a subscriber, with their defaults filled in. */
export type SubscriberTuning = v.InferOutput<typeof TuningSchema>;

/** The tuning options of `subscribeChanges`, validated; one sentence naming the bad one otherwise. */
export function subscriberTuning(options: Readonly<Record<string, unknown>>): SubscriberTuning {
  const picked = Object.fromEntries(Object.keys(TuningSchema.entries).map((key) => [key, options[key]]).filter(([, value]) => value !== undefined));
  const result = v.safeParse(TuningSchema, picked);
  if (!result.success) {
    const issue = result.issues[0];
    const key = issue.path?.map((item) => String(item.key)).join('.') ?? 'an option';
    throw new InputError(`subscribeChanges: ${key} ${issue.message}.`);
  }
  return result.output;
}

const StopSchema = v.optional(
  v.object({ timeoutMs: v.optional(v.pipe(wholeNumber(0), v.maxValue(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS}`)), 25_000) }),
  {},
);

/** The options of `stop()`, validated, with the default bound (25 s: Heroku sends SIGKILL 30 s after SIGTERM). */
export function stopOptions(options: unknown): v.InferOutput<typeof StopSchema> {
  const result = v.safeParse(StopSchema, options);
  if (!result.success) {
    const issue = result.issues[0];
    const key = issue.path?.map((item) => String(item.key)).join('.');
    throw new InputError(key === undefined ? 'stop() takes an options object: { timeoutMs }.' : `stop(): ${key} ${issue.message}.`);
  }
  return result.output;
}
