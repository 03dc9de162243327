/** The shape every language must fill (kept apart from index.ts, which imports every area): the same keys, the same function signatures, lists (column headings) of the same length. */
export type Catalogue<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => string ? (...args: A) => string : T[K] extends readonly string[] ? Strings<T[K]> : string;
};

/** A list of labels as long as English's (a mapped tuple keeps its length). */
type Strings<L> = { readonly [I in keyof L]: string };
