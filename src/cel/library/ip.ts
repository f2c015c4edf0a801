/**
 * Kubernetes IP library (k8s.io/apiserver/pkg/cel/library/ip.go, kube 1.30+): `ip()`,
 * `isIP()`, `ip.isCanonical()`, `string(ip)` and the `net.IP` accessors `family`,
 * `isUnspecified`, `isLoopback`, `isLinkLocalMulticast`, `isLinkLocalUnicast`,
 * `isGlobalUnicast`. Predicates follow Go's `netip.Addr` methods.
 */
import type { Environment } from '@marcbachmann/cel-js'
import { INTERNAL_PREFIX } from '../rename.js'
import type { NetAddress } from './net-address.js'
import { formatAddress, parseIPAddress, sameAddress } from './net-address.js'

/** The runtime value of a CEL `net.IP`. */
export class CelIP {
  constructor(readonly addr: NetAddress) {}
}

class IPNamespace {}

function b(a: NetAddress, i: number): number {
  return a.bytes[i] ?? 0
}

function is4(a: NetAddress): boolean {
  return a.bytes.length === 4
}

function isUnspecified(a: NetAddress): boolean {
  return a.bytes.every((v) => v === 0)
}

function isLoopback(a: NetAddress): boolean {
  if (is4(a)) return b(a, 0) === 127
  return a.bytes.every((v, i) => v === (i === 15 ? 1 : 0))
}

function isMulticast(a: NetAddress): boolean {
  return is4(a) ? (b(a, 0) & 0xf0) === 0xe0 : b(a, 0) === 0xff
}

function isLinkLocalMulticast(a: NetAddress): boolean {
  if (is4(a)) return b(a, 0) === 224 && b(a, 1) === 0 && b(a, 2) === 0
  return b(a, 0) === 0xff && (b(a, 1) & 0x0f) === 0x02
}

function isLinkLocalUnicast(a: NetAddress): boolean {
  if (is4(a)) return b(a, 0) === 169 && b(a, 1) === 254
  return b(a, 0) === 0xfe && (b(a, 1) & 0xc0) === 0x80
}

// Go netip `Addr.IsGlobalUnicast`: private IPv4 and ULA IPv6 count as global.
function isGlobalUnicast(a: NetAddress): boolean {
  if (is4(a) && a.bytes.every((v) => v === 255)) return false
  return !isUnspecified(a) && !isLoopback(a) && !isMulticast(a) && !isLinkLocalUnicast(a)
}

/** Registers the IP library and the `net.IP` type. */
export function registerIP(env: Environment): void {
  env
    .registerType('net.IP', CelIP)
    .registerFunction('ip(string): net.IP', (s: string) => new CelIP(parseIPAddress(s)))
    .registerFunction('isIP(string): bool', (s: string) => {
      try {
        parseIPAddress(s)
        return true
      } catch {
        return false
      }
    })
    .registerType('IPNamespace', IPNamespace)
    .registerConstant('ip', 'IPNamespace', new IPNamespace())
    .registerFunction(
      'IPNamespace.isCanonical(string): bool',
      (_: unknown, s: string) => formatAddress(parseIPAddress(s)) === s,
    )
    .registerFunction(`${INTERNAL_PREFIX}string(net.IP): string`, (v: CelIP) =>
      formatAddress(v.addr),
    )
    .registerFunction('net.IP.family(): int', (v: CelIP) => (is4(v.addr) ? 4n : 6n))
    .registerFunction('net.IP.isUnspecified(): bool', (v: CelIP) => isUnspecified(v.addr))
    .registerFunction('net.IP.isLoopback(): bool', (v: CelIP) => isLoopback(v.addr))
    .registerFunction('net.IP.isLinkLocalMulticast(): bool', (v: CelIP) =>
      isLinkLocalMulticast(v.addr),
    )
    .registerFunction('net.IP.isLinkLocalUnicast(): bool', (v: CelIP) => isLinkLocalUnicast(v.addr))
    .registerFunction('net.IP.isGlobalUnicast(): bool', (v: CelIP) => isGlobalUnicast(v.addr))
    .registerOperator('net.IP == net.IP', (x: CelIP, y: CelIP) => sameAddress(x.addr, y.addr))
}

/**
 * `net.IP` and `net.CIDR` as type values (`type(ip('::1')) == net.IP`): cel-go resolves
 * registered type names as identifiers, cel-js needs a `net` constant. The type
 * values are the environment's own, looked up on first use.
 */
export function registerNetTypeNames(env: Environment): void {
  let ipType: unknown
  let cidrType: unknown
  class NetNamespace {
    get IP(): unknown {
      return (ipType ??= env.evaluate('type(ip("0.0.0.0"))'))
    }
    get CIDR(): unknown {
      return (cidrType ??= env.evaluate('type(cidr("0.0.0.0/0"))'))
    }
  }
  env
    .registerType('NetNamespace', { ctor: NetNamespace, fields: { IP: 'type', CIDR: 'type' } })
    .registerConstant('net', 'NetNamespace', new NetNamespace())
}
