/** The Go types a strictly decoded document is checked against. */

/**
 * The Go type a field decodes into: its JSON kind and the Go type name used in
 * type errors (`%` stands for the version package, e.g. `v1`).
 */
export type Shape =
  | { t: 'any' }
  | { t: 'string'; go: string }
  | { t: 'bool' }
  | { t: 'list'; go: string; elem: Shape }
  | { t: 'struct'; name: string; fields: Readonly<Record<string, Shape>> }

export const str: Shape = { t: 'string', go: 'string' }
export const struct = (name: string, fields: Record<string, Shape>): Shape => ({
  t: 'struct',
  name,
  fields,
})
export const list = (elem: Shape, go: string): Shape => ({ t: 'list', go, elem })
