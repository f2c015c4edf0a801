/**
 * Kubernetes CIDR library (k8s.io/apiserver/pkg/cel/library/cidr.go, kube 1.30+):
 * `cidr()`, `isCIDR()`, `string(cidr)` and the `net.CIDR` accessors `containsIP`,
 * `containsCIDR` (string or typed argument), `ip`, `masked`, `prefixLength`.
 * Host bits after the prefix are allowed (`cidr('10.0.0.1/8')`), as upstream parses them.
 */
import type { Environment } from '@marcbachmann/cel-js'
import { INTERNAL_PREFIX } from '../rename.js'
import { CelIP } from './ip.js'
import type { NetAddress, NetPrefix } from './net-address.js'
import {
  formatAddress,
  maskAddress,
  parseIPAddress,
  parsePrefix,
  sameAddress,
} from './net-address.js'

/** The runtime value of a CEL `net.CIDR`. */
export class CelCIDR {
  constructor(readonly prefix: NetPrefix) {}
}

function containsIP(c: CelCIDR, ip: NetAddress): boolean {
  const { addr, bits } = c.prefix
  if (addr.bytes.length !== ip.bytes.length) return false
  return sameAddress(maskAddress(addr, bits), maskAddress(ip, bits))
}

// cidr.go `cidrContainsCIDR`: Masked() == PrefixFrom(other.Addr(), bits), so the other
// prefix's address must equal this network address exactly, and be at least as long.
function containsCIDR(c: CelCIDR, other: CelCIDR): boolean {
  const { addr, bits } = c.prefix
  return sameAddress(maskAddress(addr, bits), other.prefix.addr) && bits <= other.prefix.bits
}

function toCIDR(s: string): CelCIDR {
  return new CelCIDR(parsePrefix(s))
}

/** Registers the CIDR library and the `net.CIDR` type. */
export function registerCIDR(env: Environment): void {
  env
    .registerType('net.CIDR', CelCIDR)
    .registerFunction('cidr(string): net.CIDR', toCIDR)
    .registerFunction('isCIDR(string): bool', (s: string) => {
      try {
        parsePrefix(s)
        return true
      } catch {
        return false
      }
    })
    .registerFunction(
      `${INTERNAL_PREFIX}string(net.CIDR): string`,
      (c: CelCIDR) => `${formatAddress(c.prefix.addr)}/${c.prefix.bits}`,
    )
    .registerFunction('net.CIDR.containsIP(string): bool', (c: CelCIDR, s: string) =>
      containsIP(c, parseIPAddress(s)),
    )
    .registerFunction('net.CIDR.containsIP(net.IP): bool', (c: CelCIDR, ip: CelIP) =>
      containsIP(c, ip.addr),
    )
    .registerFunction('net.CIDR.containsCIDR(string): bool', (c: CelCIDR, s: string) =>
      containsCIDR(c, toCIDR(s)),
    )
    .registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', containsCIDR)
    .registerFunction('net.CIDR.ip(): net.IP', (c: CelCIDR) => new CelIP(c.prefix.addr))
    .registerFunction(
      'net.CIDR.masked(): net.CIDR',
      (c: CelCIDR) =>
        new CelCIDR({ addr: maskAddress(c.prefix.addr, c.prefix.bits), bits: c.prefix.bits }),
    )
    .registerFunction('net.CIDR.prefixLength(): int', (c: CelCIDR) => BigInt(c.prefix.bits))
    .registerOperator(
      'net.CIDR == net.CIDR',
      (x: CelCIDR, y: CelCIDR) =>
        x.prefix.bits === y.prefix.bits && sameAddress(x.prefix.addr, y.prefix.addr),
    )
}
