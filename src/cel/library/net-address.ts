/**
 * IP address and prefix parsing with Go's `net/netip` rules, as the Kubernetes IP and
 * CIDR libraries use them (k8s.io/apiserver/pkg/cel/library/ip.go `parseIPAddr`,
 * cidr.go `parseCIDR`): strict dotted-quad IPv4 (no leading zeros), IPv6 with at most
 * one `::` and an optional trailing dotted quad, canonical output as `Addr.String()`.
 * Errors are Go's reasons, without the input (which is usually a claim).
 */

/** An address: 4 bytes (IPv4) or 16 bytes (IPv6), and the zone (IPv6 only). */
export interface NetAddress {
  readonly bytes: Uint8Array
  readonly zone: string
}

/** A prefix: an address (host bits kept as written) and a prefix length. */
export interface NetPrefix {
  readonly addr: NetAddress
  readonly bits: number
}

class AddressError extends Error {}

function parseIPv4Into(s: string, out: Uint8Array, offset: number): void {
  let field = 0
  let digits = 0
  let index = 0
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i)
    if (ch >= 0x30 && ch <= 0x39) {
      if (digits === 1 && field === 0)
        throw new AddressError('IPv4 field has octet with leading zero')
      field = field * 10 + (ch - 0x30)
      digits++
      if (field > 255) throw new AddressError('IPv4 field has value >255')
    } else if (ch === 0x2e) {
      if (i === 0 || i === s.length - 1 || s.charCodeAt(i - 1) === 0x2e) {
        throw new AddressError('IPv4 field must have at least one digit')
      }
      if (index === 3) throw new AddressError('IPv4 address too long')
      out[offset + index++] = field
      field = 0
      digits = 0
    } else {
      throw new AddressError('unexpected character')
    }
  }
  if (index < 3) throw new AddressError('IPv4 address too short')
  out[offset + index] = field
}

function parseIPv6(input: string): NetAddress {
  let s = input
  let zone = ''
  const percent = s.indexOf('%')
  if (percent >= 0) {
    zone = s.slice(percent + 1)
    s = s.slice(0, percent)
    if (zone === '') throw new AddressError('zone must be a non-empty string')
  }
  const bytes = new Uint8Array(16)
  let ellipsis = -1
  let i = 0
  if (s.startsWith('::')) {
    ellipsis = 0
    s = s.slice(2)
    if (s === '') return { bytes, zone }
  }
  while (i < 16) {
    let off = 0
    let acc = 0
    for (; off < s.length; off++) {
      const c = s.charCodeAt(off)
      let d: number
      if (c >= 0x30 && c <= 0x39) d = c - 0x30
      else if (c >= 0x61 && c <= 0x66) d = c - 0x61 + 10
      else if (c >= 0x41 && c <= 0x46) d = c - 0x41 + 10
      else break
      if (off > 3) throw new AddressError('each group must have 4 or less digits')
      acc = (acc << 4) + d
    }
    if (off === 0) throw new AddressError('each colon-separated field must have at least one digit')
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12)
        throw new AddressError(
          'embedded IPv4 address must replace the final 2 fields of the address',
        )
      if (i + 4 > 16)
        throw new AddressError(
          'too many hex fields to fit an embedded IPv4 at the end of the address',
        )
      parseIPv4Into(s, bytes, i)
      s = ''
      i += 4
      break
    }
    bytes[i] = acc >> 8
    bytes[i + 1] = acc & 0xff
    i += 2
    s = s.slice(off)
    if (s === '') break
    if (s[0] !== ':') throw new AddressError('unexpected character, want colon')
    if (s.length === 1) throw new AddressError('colon must be followed by more characters')
    s = s.slice(1)
    if (s[0] === ':') {
      if (ellipsis >= 0) throw new AddressError('multiple :: in address')
      ellipsis = i
      s = s.slice(1)
      if (s === '') break
    }
  }
  if (s !== '') throw new AddressError('trailing garbage after address')
  if (i < 16) {
    if (ellipsis < 0) throw new AddressError('address string too short')
    const n = 16 - i
    for (let j = i - 1; j >= ellipsis; j--) bytes[j + n] = bytes[j] ?? 0
    bytes.fill(0, ellipsis, ellipsis + n)
  } else if (ellipsis >= 0) {
    throw new AddressError('the :: must expand to at least one field of zeros')
  }
  return { bytes, zone }
}

/** Go `netip.ParseAddr`: the reason on failure, as Go words it. */
function parseAddr(s: string): NetAddress {
  for (const ch of s) {
    if (ch === '.') {
      const bytes = new Uint8Array(4)
      parseIPv4Into(s, bytes, 0)
      return { bytes, zone: '' }
    }
    if (ch === ':') return parseIPv6(s)
    if (ch === '%') throw new AddressError('missing IPv6 address')
  }
  throw new AddressError('unable to parse IP')
}

function is4In6(a: NetAddress): boolean {
  if (a.bytes.length !== 16) return false
  for (let i = 0; i < 10; i++) if (a.bytes[i] !== 0) return false
  return a.bytes[10] === 0xff && a.bytes[11] === 0xff
}

/** ip.go `parseIPAddr`: netip.ParseAddr, then no zone and no IPv4-mapped IPv6. Throws with the CEL text. */
export function parseIPAddress(raw: string): NetAddress {
  let addr: NetAddress
  try {
    addr = parseAddr(raw)
  } catch (err) {
    if (!(err instanceof AddressError)) throw err
    throw new Error(
      `IP Address parse error during conversion from string: ParseAddr: ${err.message}`,
    )
  }
  if (addr.zone !== '') throw new Error('IP address with zone value is not allowed')
  if (is4In6(addr)) throw new Error('IPv4-mapped IPv6 address is not allowed')
  return addr
}

/** cidr.go `parseCIDR` (netip.ParsePrefix, then no IPv4-mapped IPv6). Throws with the CEL text. */
export function parsePrefix(raw: string): NetPrefix {
  const outer = 'network address parse error during conversion from string'
  const slash = raw.lastIndexOf('/')
  const fail = (why: string): never => {
    throw new Error(`${outer}: ${outer}: netip.ParsePrefix: ${why}`)
  }
  if (slash < 0) fail("no '/'")
  let addr: NetAddress
  try {
    addr = parseAddr(raw.slice(0, slash))
  } catch (err) {
    if (!(err instanceof AddressError)) throw err
    return fail(`ParseAddr: ${err.message}`)
  }
  if (addr.zone !== '') fail('IPv6 zones cannot be present in a prefix')
  const bitsText = raw.slice(slash + 1)
  if (!/^(0|[1-9][0-9]{0,2})$/.test(bitsText)) fail('bad bits after slash')
  const bits = Number(bitsText)
  if (bits > addr.bytes.length * 8) fail('prefix length out of range')
  if (is4In6(addr)) throw new Error(`${outer}: IPv4-mapped IPv6 address is not allowed`)
  return { addr, bits }
}

/** Go `Addr.String()`: dotted quad, or RFC 5952 IPv6 (longest run of 2+ zero groups as `::`). */
export function formatAddress(a: NetAddress): string {
  const b = a.bytes
  if (b.length === 4) return Array.from(b).join('.')
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0))
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  let out = ''
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::'
      i += bestLen - 1
      continue
    }
    if (out !== '' && !out.endsWith(':')) out += ':'
    out += (groups[i] ?? 0).toString(16)
  }
  return a.zone === '' ? out : `${out}%${a.zone}`
}

/** The address with every bit after `bits` cleared (Go `Prefix.Masked`). */
export function maskAddress(a: NetAddress, bits: number): NetAddress {
  const bytes = Uint8Array.from(a.bytes)
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8))
    bytes[i] = (bytes[i] ?? 0) & ((0xff << (8 - keep)) & 0xff)
  }
  return { bytes, zone: '' }
}

export function sameAddress(a: NetAddress, b: NetAddress): boolean {
  if (a.bytes.length !== b.bytes.length || a.zone !== b.zone) return false
  return a.bytes.every((v, i) => v === b.bytes[i])
}
