/**
 * Which headers cross the proxy. RFC 9110 §7.6.1: a proxy removes the
 * connection-specific fields (Connection, and every field Connection names,
 * plus Proxy-Connection, Keep-Alive, TE, Transfer-Encoding, Upgrade) before
 * forwarding. The body's framing is set again for the next hop, and an upgrade
 * re-asks for the same protocol.
 */

/** Connection-specific fields (RFC 9110 §7.6.1, §7.8; RFC 9112 §9.6), lowercase. */
const HOP_BY_HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
])

/** Lowercase names listed in every `Connection` field of `raw`. */
function connectionListed(raw: readonly string[]): Set<string> {
  const listed = new Set<string>()
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() !== 'connection') continue
    for (const token of (raw[i + 1] as string).split(',')) {
      const name = token.trim().toLowerCase()
      if (name !== '') listed.add(name)
    }
  }
  return listed
}

/**
 * The end-to-end fields of a raw header list (node's `rawHeaders`: name,
 * value, name, value…), in order, duplicates kept, minus the hop-by-hop ones
 * and those `drop` returns true for (lowercase name).
 */
export function endToEndHeaders(
  raw: readonly string[],
  drop: (lowerName: string) => boolean = () => false,
): [string, string][] {
  const listed = connectionListed(raw)
  const out: [string, string][] = []
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string
    const lower = name.toLowerCase()
    if (HOP_BY_HOP.has(lower) || listed.has(lower) || drop(lower)) continue
    out.push([name, raw[i + 1] as string])
  }
  return out
}

/** Appends the client's address to `X-Forwarded-For`, as Go's httputil.ReverseProxy does. */
export function withForwardedFor(
  headers: [string, string][],
  clientAddress: string | undefined,
): [string, string][] {
  if (clientAddress === undefined) return headers
  const prior = headers.filter(([n]) => n.toLowerCase() === 'x-forwarded-for').map(([, v]) => v)
  const rest = headers.filter(([n]) => n.toLowerCase() !== 'x-forwarded-for')
  rest.push(['X-Forwarded-For', [...prior, clientAddress].join(', ')])
  return rest
}

/** Node's header object from a list, repeated names as arrays (node writes one line per element). */
export function toOutgoingHeaders(
  headers: ReadonlyArray<readonly [string, string]>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  const canonical = new Map<string, string>()
  for (const [name, value] of headers) {
    const lower = name.toLowerCase()
    const key = canonical.get(lower)
    if (key === undefined) {
      canonical.set(lower, name)
      out[name] = value
      continue
    }
    const prior = out[key] as string | string[]
    out[key] = Array.isArray(prior) ? [...prior, value] : [prior, value]
  }
  return out
}
