/**
 * `dev` serves keys, certificates and a password-less login: it must never be
 * reachable from another machine, so it binds to loopback addresses only.
 */
import { isIP } from 'node:net'

/** True for `localhost`, 127.0.0.0/8 and ::1 (also written in full or as IPv4-mapped). */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true
  const family = isIP(host)
  if (family === 4) return host.split('.')[0] === '127'
  if (family === 6) {
    const lower = host.toLowerCase()
    const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
    if (mapped?.[1] !== undefined) return isLoopbackHost(mapped[1])
    return /^(?:0{0,4}:){2,7}0{0,3}1$/.test(lower) || /^(?:0{1,4}:){7}0{0,3}1$/.test(lower)
  }
  return false
}
