/**
 * One shared collator for sorting names: Intl.Collator.compare is many times faster than
 * String.localeCompare on large lists (5,000 services), with the same order.
 */
const collator = new Intl.Collator(undefined, { sensitivity: 'variant' });

/** Compares two names for display order. */
export const compareNames: (a: string, b: string) => number = collator.compare;
