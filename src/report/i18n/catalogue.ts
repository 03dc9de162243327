/** The shape every language must fill: the same keys, the same function signatures (kept apart from index.ts, which imports every area). */
export type Catalogue<T> = { readonly [K in keyof T]: T[K] extends (...args: infer A) => string ? (...args: A) => string : string };
