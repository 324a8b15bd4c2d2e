/** Compile-time assertions: `expectType<Equal<A, B>>()` fails `tsc` when A and B differ. */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export function expectType<_T extends true>(): void {}
