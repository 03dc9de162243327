/** The shape every language must fill: the same keys, the same function signatures (a file of its own, so the area files and index.ts do not import each other). */
export type Catalogue<T> = { readonly [K in keyof T]: T[K] extends (...args: infer A) => string ? (...args: A) => string : string };
