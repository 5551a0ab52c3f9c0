/** Per-part extra classes a component takes, e.g. `{ root: 'p-4', bar: 'h-2' }`. */
export type ClassNames<TPart extends string> = Partial<Record<TPart, string>>;

/**
 * The class of one part: the stable `rj-<block>__<part>` hook styles.css targets, then
 * the caller's own (Tailwind, CSS modules...). `root` also takes the `className` prop.
 */
export function partClass<TPart extends string>(
  block: string,
  part: TPart | 'root',
  classNames: ClassNames<TPart | 'root'> | undefined,
  className?: string,
): string {
  const base = part === 'root' ? `rj-${block}` : `rj-${block}__${part}`;
  return [base, part === 'root' ? className : undefined, classNames?.[part]].filter(Boolean).join(' ');
}
