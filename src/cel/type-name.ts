/** Type names as cel-go prints them in messages. */

/** cel-js type names (`list<string>`) in cel-go's spelling (`list(string)`). */
export function celTypeName(name: string): string {
  switch (name) {
    case 'list':
      return 'list(dyn)'
    case 'map':
      return 'map(dyn, dyn)'
    case 'null':
      return 'null_type'
  }
  const generic = /^(list|map|optional|dyn)<(.*)>$/.exec(name)
  if (generic === null) return name
  const [, kind, inner = ''] = generic
  const parts = splitTopLevel(inner).map(celTypeName)
  if (kind === 'dyn') return parts[0] ?? 'dyn'
  return `${kind === 'optional' ? 'optional_type' : kind}(${parts.join(', ')})`
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const ch of s) {
    if (ch === '<') depth++
    if (ch === '>') depth--
    if (ch === ',' && depth === 0) {
      parts.push(current.trim())
      current = ''
    } else current += ch
  }
  parts.push(current.trim())
  return parts
}
